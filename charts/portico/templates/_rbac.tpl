{{/*
The RBAC rules, defined once: exactly the API calls Portico makes, and nothing
else. No pods, nodes or namespaces; Secrets and ConfigMaps are only read.
The chart tests check that the rendered rules equal the calls the controller
tests record.
*/}}

{{/*
What Portico watches and writes in each namespace it serves: granted
cluster-wide by a ClusterRole, or per namespace by a Role when
controller.watchNamespaces is set.
- Services, EndpointSlices (or Endpoints), Secrets and ConfigMaps: informers
  (list, watch); Portico reads everything from its informers' caches, never
  with a get. ConfigMaps, because the controller ConfigMap's add-headers and
  the custom-headers annotation name ConfigMaps of response headers at run
  time: no list of names is known when the chart is installed. Secrets of
  types kubernetes.io/tls (certificates) and Opaque (basic-auth users, which
  the auth-secret annotation names at run time) only, by field selector.
- Ingresses: informer, and the leader's status update (a PUT on the status
  subresource: a merge patch would append to status.loadBalancer.ingress). A
  write that loses a race is retried on the version the informer delivers next.
- Events about an Ingress: the API server requires an Event to live in the
  namespace of the object it is about, so they follow the Ingresses; core/v1
  Events, which is what fabric8's client.v1().events() writes.
- With the Gateway API: Gateways, HTTPRoutes, GRPCRoutes, ReferenceGrants and
  BackendTLSPolicies (informers; BackendTLSPolicies where their CRD is
  installed), and the leader's status updates of all but ReferenceGrants (PUT
  on the status subresource, as for Ingresses). The CA certificates of
  BackendTLSPolicies are ConfigMaps, read with the others above.
*/}}
{{- define "portico.rbac.namespacedRules" -}}
- apiGroups: [""]
  resources:
    - configmaps
    - services
    - secrets
    {{- if eq .Values.controller.endpointsApi "endpoints" }}
    - endpoints
    {{- end }}
  verbs: [list, watch]
{{- if eq .Values.controller.endpointsApi "endpointslices" }}
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
{{- end }}
- apiGroups: [networking.k8s.io]
  resources: [ingresses]
  verbs: [list, watch]
- apiGroups: [networking.k8s.io]
  resources: [ingresses/status]
  verbs: [update]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- if .Values.controller.gatewayApi.enabled }}
- apiGroups: [gateway.networking.k8s.io]
  resources: [backendtlspolicies, gateways, httproutes, grpcroutes, referencegrants]
  verbs: [list, watch]
- apiGroups: [gateway.networking.k8s.io]
  resources: [backendtlspolicies/status, gateways/status, httproutes/status, grpcroutes/status]
  verbs: [update]
{{- end }}
{{- end }}

{{/*
IngressClasses are cluster-scoped: even a namespaced install reads them
through a ClusterRole, to know which classes name Portico's controller.
With the Gateway API: GatewayClasses (and their status), Namespaces (the labels
allowedRoutes selectors match), and a get of each Gateway API CRD by name, once
at start-up, for its bundle-version annotation (GatewayClass SupportedVersion).
Which Gateway API kinds exist is asked of API discovery, which every
authenticated client may read.
*/}}
{{- define "portico.rbac.clusterRules" -}}
- apiGroups: [networking.k8s.io]
  resources: [ingressclasses]
  verbs: [list, watch]
{{- if .Values.controller.gatewayApi.enabled }}
- apiGroups: [gateway.networking.k8s.io]
  resources: [gatewayclasses]
  verbs: [list, watch]
- apiGroups: [gateway.networking.k8s.io]
  resources: [gatewayclasses/status]
  verbs: [update]
- apiGroups: [""]
  resources: [namespaces]
  verbs: [list, watch]
- apiGroups: [apiextensions.k8s.io]
  resources: [customresourcedefinitions]
  resourceNames:
    - gatewayclasses.gateway.networking.k8s.io
    - gateways.gateway.networking.k8s.io
    - grpcroutes.gateway.networking.k8s.io
    - httproutes.gateway.networking.k8s.io
    - referencegrants.gateway.networking.k8s.io
  verbs: [get]
{{- end }}
{{- end }}

{{/*
Leader election on one Lease in the release namespace, with fabric8's
LeaseLock: it reads the Lease, creates it when missing, and renews or takes it
over with a JSON merge patch guarded by resourceVersion (patch, not update).
get and patch are limited to the Lease's own name; create cannot be, because
the name of an object that does not exist yet is not known to the authorizer.
*/}}
{{- define "portico.rbac.leaderElectionRules" -}}
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [create]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  resourceNames: [{{ .Values.controller.electionID | quote }}]
  verbs: [get, patch]
{{- end }}

{{/*
The controller ConfigMap when its namespace is not watched: one informer on one
object, a list and a watch with a metadata.name field selector, which the
authorizer matches against resourceNames. In a watched namespace the
namespaced rules cover it.
*/}}
{{- define "portico.rbac.configMapRules" -}}
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [{{ include "portico.configMapName" . | quote }}]
  verbs: [list, watch]
{{- end }}

{{/* The subject every binding grants to. */}}
{{- define "portico.rbac.subjects" -}}
- kind: ServiceAccount
  name: {{ include "portico.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end }}
