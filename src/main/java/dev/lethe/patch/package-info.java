/**
 * A version's update as a file ({@link dev.lethe.patch.PatchArtifact}) and how it is applied
 * ({@link dev.lethe.patch.Patches}): what a serving client needs to move from a parent's weights
 * to a child's without the engine. The engine depends on this package, never the reverse.
 */
package dev.lethe.patch;
