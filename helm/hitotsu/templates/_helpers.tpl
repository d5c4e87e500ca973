{{/* The chart's name, at most 63 characters (a DNS label). */}}
{{- define "hitotsu.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The name of the release's objects: the release name, plus the chart's unless it already says it. */}}
{{- define "hitotsu.fullname" -}}
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

{{/* Labels that select the release's pods: never change them on an installed release. */}}
{{- define "hitotsu.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hitotsu.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "hitotsu.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "hitotsu.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: identity-provider
hitotsu.jp/zone: {{ include "hitotsu.zone" . }}
{{- end }}

{{/* The zone, checked: one of the zones the server knows. */}}
{{- define "hitotsu.zone" -}}
{{- $zone := required "zone is required: internet, lgwan or mynumber" .Values.zone }}
{{- if not (has $zone (list "internet" "lgwan" "mynumber")) }}
{{- fail (printf "zone %q is not a zone: internet, lgwan or mynumber" $zone) }}
{{- end }}
{{- $zone }}
{{- end }}

{{- define "hitotsu.serviceAccountName" -}}
{{- default (include "hitotsu.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "hitotsu.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The realm files of the ConfigMap, as a dict of file name -> YAML text. A realm given as a
map must belong to the release's zone; no realm may carry a secret in the clear (a client
secret or a user's password): a ConfigMap is readable by anyone who may read the namespace.
*/}}
{{- define "hitotsu.realmFiles" -}}
{{- $zone := include "hitotsu.zone" . }}
{{- $files := dict }}
{{- range $file, $realm := .Values.realms }}
{{- if not (regexMatch "^[A-Za-z0-9][A-Za-z0-9._-]*\\.ya?ml$" $file) }}
{{- fail (printf "realms: %q must be a file name ending in .yaml or .yml" $file) }}
{{- end }}
{{- $text := "" }}
{{- $realmZone := "" }}
{{- if kindIs "string" $realm }}
{{- $text = $realm }}
{{- $realmZone = regexFind "(?m)^zone:[ \t]*[\"']?[A-Za-z]+" $realm | regexFind "[A-Za-z]+$" }}
{{- else }}
{{- $text = toYaml $realm }}
{{- $realmZone = toString (default "" $realm.zone) }}
{{- end }}
{{- if and $realmZone (ne (lower $realmZone) $zone) }}
{{- fail (printf "realms: %s is a realm of zone %q, but this release serves zone %q" $file $realmZone $zone) }}
{{- end }}
{{- if regexMatch "(?m)^[ \\t-]*(secret|password)[ \\t]*:" $text }}
{{- fail (printf "realms: %s holds a client secret or a user password in the clear; give clients secret-hash and create people through the directory or the admin API" $file) }}
{{- end }}
{{- $_ := set $files $file $text }}
{{- end }}
{{- toYaml $files }}
{{- end }}

{{/* An HTTP probe on an actuator health group, from one entry of .Values.probes. */}}
{{- define "hitotsu.probe" -}}
httpGet:
  path: {{ .path }}
  port: management
periodSeconds: {{ .periodSeconds }}
timeoutSeconds: {{ .timeoutSeconds }}
failureThreshold: {{ .failureThreshold }}
{{- end }}
