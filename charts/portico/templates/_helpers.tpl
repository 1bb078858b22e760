{{/*
Names. Kubernetes limits most names to 63 characters (DNS labels).
*/}}
{{- define "portico.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
"<release>-portico", or just the release name when it already contains the chart name.
*/}}
{{- define "portico.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "portico.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object; the selector labels are the subset that never changes
across upgrades (a Deployment's selector is immutable).
*/}}
{{- define "portico.labels" -}}
helm.sh/chart: {{ include "portico.chart" . }}
{{ include "portico.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "portico.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portico.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end }}

{{- define "portico.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "portico.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The Secret holding the session-affinity key, or "" when Portico gets none.
*/}}
{{- define "portico.affinityKeySecretName" -}}
{{- if .Values.controller.affinityKey.existingSecret }}
{{- .Values.controller.affinityKey.existingSecret }}
{{- else if .Values.controller.affinityKey.create }}
{{- printf "%s-affinity-key" (include "portico.fullname" .) }}
{{- end }}
{{- end }}

{{/* Where the affinity-key Secret is mounted; the file is its "affinity-key" entry. */}}
{{- define "portico.affinityKeyDir" -}}
/etc/portico/affinity-key
{{- end }}

{{/* The controller ConfigMap's name; it lives in the release namespace. */}}
{{- define "portico.configMapName" -}}
{{- printf "%s-config" (include "portico.fullname" .) }}
{{- end }}

{{/*
"namespace/name" of the Service whose address goes into Ingress status, or "".
*/}}
{{- define "portico.publishService" -}}
{{- with .Values.controller.publishService }}
{{- if .enabled }}
{{- default (printf "%s/%s" $.Release.Namespace (include "portico.fullname" $)) .pathOverride }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The container's arguments after the image's entrypoint (`java ... -jar
portico.jar`), as a YAML list. Built as a list and written by toYaml so that
any value (an IPv6 "::", a "#" in an extra flag) comes out quoted as needed.
*/}}
{{- define "portico.args" -}}
{{- $c := .Values.controller -}}
{{- $args := list "run" -}}
{{- $args = append $args (printf "--http-port=%v" $c.containerPort.http) -}}
{{- $args = append $args (printf "--https-port=%v" $c.containerPort.https) -}}
{{- $args = append $args (printf "--admin-port=%v" $c.containerPort.admin) -}}
{{- $args = append $args (printf "--bind=%s" $c.bindAddress) -}}
{{- $args = append $args (printf "--ingress-class=%s" $c.ingressClass) -}}
{{- if $c.watchIngressWithoutClass -}}
{{- $args = append $args "--watch-ingress-without-class" -}}
{{- end -}}
{{- range $c.watchNamespaces -}}
{{- $args = append $args (printf "--watch-namespace=%s" .) -}}
{{- end -}}
{{- $args = append $args (printf "--endpoints-api=%s" $c.endpointsApi) -}}
{{- /* Explicit either way: RBAC for the Gateway API is granted only when it is served. */ -}}
{{- $args = append $args (printf "--gateway-api=%t" $c.gatewayApi.enabled) -}}
{{- with $c.gatewayApi.listenerPorts -}}
{{- $args = append $args (printf "--gateway-listener-ports=%s" (join "," .)) -}}
{{- end -}}
{{- $args = append $args (printf "--election-id=%s" $c.electionID) -}}
{{- /* Explicit rather than Portico's POD_NAMESPACE default: the Lease Role lives here. */ -}}
{{- $args = append $args (printf "--election-namespace=%s" .Release.Namespace) -}}
{{- with include "portico.publishService" . -}}
{{- $args = append $args (printf "--publish-service=%s" .) -}}
{{- end -}}
{{- with $c.defaultBackendService -}}
{{- $args = append $args (printf "--default-backend=%s" .) -}}
{{- end -}}
{{- $args = append $args (printf "--configmap=%s/%s" .Release.Namespace (include "portico.configMapName" .)) -}}
{{- with $c.defaultTLSSecret -}}
{{- $args = append $args (printf "--default-tls-secret=%s" .) -}}
{{- end -}}
{{- $args = append $args (printf "--snippet-annotations=%s" $c.snippetAnnotations) -}}
{{- if include "portico.affinityKeySecretName" . -}}
{{- $args = append $args (printf "--affinity-key-file=%s/affinity-key" (include "portico.affinityKeyDir" .)) -}}
{{- end -}}
{{- $args = append $args (printf "--shutdown-delay=%s" $c.shutdownDelay) -}}
{{- $args = append $args (printf "--drain-timeout=%s" $c.drainTimeout) -}}
{{- $args = append $args (printf "--warm-up=%s" $c.warmUp) -}}
{{- $args = append $args (printf "--client-header-timeout=%s" $c.edge.clientHeaderTimeout) -}}
{{- $args = append $args (printf "--client-body-timeout=%s" $c.edge.clientBodyTimeout) -}}
{{- $args = append $args (printf "--max-connections=%d" (int $c.edge.maxConnections)) -}}
{{- $args = append $args (printf "--allow-external-name-services=%t" $c.edge.allowExternalNameServices) -}}
{{- $args = append $args (printf "--allow-encoded-slashes=%t" $c.edge.allowEncodedSlashes) -}}
{{- $args = append $args (printf "--h2c-prior-knowledge=%t" $c.edge.h2cPriorKnowledge) -}}
{{- /*
The flags above, which controller.extraArgs may not repeat: Portico rejects a
flag given twice, and the dedicated value is the one that also adjusts RBAC,
ports and probes.
*/ -}}
{{- $managed := list "http-port" "https-port" "admin-port" "bind" "ingress-class" "watch-ingress-without-class" "watch-namespace" "endpoints-api" "gateway-api" "gateway-listener-ports" "election-id" "election-namespace" "publish-service" "default-backend" "configmap" "default-tls-secret" "snippet-annotations" "affinity-key-file" "shutdown-delay" "drain-timeout" "warm-up" "client-header-timeout" "client-body-timeout" "max-connections" "allow-external-name-services" "allow-encoded-slashes" "h2c-prior-knowledge" -}}
{{- range $key, $value := $c.extraArgs -}}
{{- if has $key $managed -}}
{{- fail (printf "controller.extraArgs.%s: --%s is set by the chart from its own value; set that value instead" $key $key) -}}
{{- end -}}
{{- $args = append $args (printf "--%s=%v" $key $value) -}}
{{- end -}}
{{- toYaml $args -}}
{{- end }}

{{/*
The extra ports of controller.gatewayApi.listenerPorts, one line each:
"NAME PORT LOCAL", NAME the container port's name, PORT what the Service exposes:
the Gateway listener port for an entry of every Gateway, the local port for one
Gateway's own socket (Service ports must differ).
*/}}
{{- define "portico.gatewayPorts" -}}
{{- range .Values.controller.gatewayApi.listenerPorts }}
{{- $parts := splitList "=" . }}
{{- $local := last $parts }}
{{- $gateway := first $parts }}
{{- $port := ternary $local $gateway (contains ":" $gateway) }}
{{ printf "gw-%s %s %s" $local $port $local }}
{{- end }}
{{- end }}

{{/*
Checks that span several values, which the JSON schema cannot express.
In watchNamespaces mode Portico may only read from the namespaces it has Roles
in, so everything it reads must live in one of them.
*/}}
{{- define "portico.validate" -}}
{{- $c := .Values.controller -}}
{{- if $c.watchNamespaces }}
{{- $refs := dict "controller.publishService" (include "portico.publishService" .) "controller.defaultBackendService" $c.defaultBackendService "controller.defaultTLSSecret" $c.defaultTLSSecret }}
{{- range $key, $ref := $refs }}
{{- if $ref }}
{{- $ns := first (splitList "/" $ref) }}
{{- if not (has $ns $c.watchNamespaces) }}
{{- fail (printf "%s: %s is in namespace %q, which is not in controller.watchNamespaces %v; Portico could not read it" $key $ref $ns $c.watchNamespaces) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- if and $c.metrics.serviceMonitor.enabled (not $c.metrics.enabled) }}
{{- fail "controller.metrics.serviceMonitor.enabled needs controller.metrics.enabled: the ServiceMonitor scrapes the metrics Service" }}
{{- end }}
{{- end }}

{{/*
controller.topologySpreadConstraints as YAML, each given the pods' selector
labels when it has no labelSelector of its own (without one a constraint
counts no pods and spreads nothing).
*/}}
{{- define "portico.topologySpreadConstraints" -}}
{{- $constraints := list }}
{{- range .Values.controller.topologySpreadConstraints }}
{{- $constraint := deepCopy . }}
{{- if not (hasKey $constraint "labelSelector") }}
{{- $_ := set $constraint "labelSelector" (dict "matchLabels" (include "portico.selectorLabels" $ | fromYaml)) }}
{{- end }}
{{- $constraints = append $constraints $constraint }}
{{- end }}
{{- with $constraints }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{/*
The metrics Service's labels: the selector labels plus one that the main
Service lacks, so a ServiceMonitor selects only this one.
*/}}
{{- define "portico.metricsServiceLabels" -}}
{{ include "portico.selectorLabels" . }}
portico.io/service: metrics
{{- end }}
