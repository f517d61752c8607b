#!/bin/sh
set -eu
cat > /tmp/s3proxy.properties <<PROPS
s3proxy.endpoint=http://0.0.0.0:${S3PROXY_PORT:-80}
s3proxy.authorization=${S3PROXY_AUTHORIZATION:-aws-v2-or-v4}
s3proxy.identity=${S3PROXY_IDENTITY:-local-identity}
s3proxy.credential=${S3PROXY_CREDENTIAL:-local-credential}
jclouds.provider=${JCLOUDS_PROVIDER:-filesystem-nio2}
jclouds.filesystem.basedir=${JCLOUDS_FILESYSTEM_BASEDIR:-/data}
PROPS
exec java ${JAVA_OPTS:--Xmx256m} -jar /opt/s3proxy/s3proxy.jar --properties /tmp/s3proxy.properties
