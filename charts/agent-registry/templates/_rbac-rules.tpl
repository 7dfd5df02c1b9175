{{/* Rules of the controller in each watched scope. */}}
{{- define "agent-registry.controllerRules" -}}
# Sources: kagent Agents and a2a.io Agents.
- apiGroups: [kagent.dev]
  resources: [agents]
  verbs: [get, list, watch]
- apiGroups: [a2a.io]
  resources: [agents]
  verbs: [get, list, watch]
# Cards carry blockOwnerDeletion owner references to their agents, which the
# OwnerReferencesPermissionEnforcement admission plugin allows only with this.
- apiGroups: [kagent.dev, a2a.io]
  resources: [agents/finalizers]
  verbs: [update]
# Output: AgentCards and their status.
- apiGroups: [kagent.dev]
  resources: [agentcards]
  # Server-side apply of a card that does not exist yet needs create as well as patch.
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [kagent.dev]
  resources: [agentcards/status]
  verbs: [get, patch]
# Which agent endpoints are backed by ready pods (probing).
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
# The controller records events.k8s.io/v1 Events and de-duplicates them itself.
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create]
{{- end }}

{{/* Rules of the registry in each watched scope: read-only AgentCards. */}}
{{- define "agent-registry.registryRules" -}}
- apiGroups: [kagent.dev]
  resources: [agentcards]
  verbs: [get, list, watch]
{{- end }}
