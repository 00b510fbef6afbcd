{{/* Names and labels shared by the templates. */}}

{{/* The release's full name: the release name, prefixed with the chart's unless it already contains it. */}}
{{- define "ambit-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ambit-operator.serviceAccountName" -}}
{{- default (include "ambit-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* What selects the operator's pods; never changes across upgrades (a Deployment's selector is immutable). */}}
{{- define "ambit-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ambit-operator.labels" -}}
{{ include "ambit-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "ambit-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
