/**
 * Sources of cluster state: the Kubernetes API (informers) and a folder of manifests. Each keeps
 * the latest copy of the objects it watches and tells the sync loop when something changed.
 */
package io.portico.controller.source;
