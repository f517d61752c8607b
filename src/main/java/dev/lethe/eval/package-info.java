/**
 * How results are judged: accuracy per class, on the retained classes ({@code ACC_r}) and on
 * the forgotten ones ({@code ACC_f}), and the membership-inference attack of the paper's
 * protocol. Inputs are predictions, labels and probabilities as plain arrays; nothing here
 * runs a network.
 */
package dev.lethe.eval;
