/**
 * Serializable model recipes for data-parallel runs (an MLP classifier and a small decoder LM from the
 * engine's layer vocabulary) and synthetic datasets of privacy units for tests and the benchmark.
 */
package org.dpvideo.distributed.models;
