/**
 * A2A agent card shapes. 0.3.0 follows the official JSON schema
 * (a2a-v0.3.0.schema.json); 1.0 follows `specification/a2a.proto` of A2A
 * v1.0.0 in its ProtoJSON form (lowerCamelCase names, oneof members as wrapper keys).
 */
import type { A2AVersion } from '@agent-registry/crds';

export type { A2AVersion };

/** Transports the specification names; both versions also allow custom strings. */
export const CORE_TRANSPORTS = ['JSONRPC', 'GRPC', 'HTTP+JSON'] as const;

export interface AgentProvider {
  organization: string;
  url: string;
}

export interface AgentExtension {
  uri: string;
  description?: string;
  required?: boolean;
  params?: Record<string, unknown>;
}

export interface AgentCardSignature {
  protected: string;
  signature: string;
  header?: Record<string, unknown>;
}

// ---- 0.3.0 -----------------------------------------------------------------

export interface AgentInterfaceV03 {
  url: string;
  transport: string;
}

/** `{ schemeName: [scope, ...] }` */
export type SecurityRequirementV03 = Record<string, string[]>;

export type OAuthFlowsV03 = {
  authorizationCode?: {
    authorizationUrl: string;
    tokenUrl: string;
    refreshUrl?: string;
    scopes: Record<string, string>;
  };
  clientCredentials?: { tokenUrl: string; refreshUrl?: string; scopes: Record<string, string> };
  implicit?: { authorizationUrl: string; refreshUrl?: string; scopes: Record<string, string> };
  password?: { tokenUrl: string; refreshUrl?: string; scopes: Record<string, string> };
};

export type SecuritySchemeV03 =
  | { type: 'apiKey'; name: string; in: 'cookie' | 'header' | 'query'; description?: string }
  | { type: 'http'; scheme: string; bearerFormat?: string; description?: string }
  | { type: 'oauth2'; flows: OAuthFlowsV03; oauth2MetadataUrl?: string; description?: string }
  | { type: 'openIdConnect'; openIdConnectUrl: string; description?: string }
  | { type: 'mutualTLS'; description?: string };

export interface AgentSkillV03 {
  id: string;
  name: string;
  description: string;
  tags: string[];
  examples?: string[];
  inputModes?: string[];
  outputModes?: string[];
  security?: SecurityRequirementV03[];
}

export interface A2ACardV03 {
  name: string;
  description: string;
  version: string;
  url: string;
  preferredTransport?: string;
  additionalInterfaces?: AgentInterfaceV03[];
  provider?: AgentProvider;
  iconUrl?: string;
  documentationUrl?: string;
  capabilities: {
    streaming?: boolean;
    pushNotifications?: boolean;
    stateTransitionHistory?: boolean;
    extensions?: AgentExtension[];
  };
  securitySchemes?: Record<string, SecuritySchemeV03>;
  security?: SecurityRequirementV03[];
  defaultInputModes: string[];
  defaultOutputModes: string[];
  skills: AgentSkillV03[];
  supportsAuthenticatedExtendedCard?: boolean;
  signatures?: AgentCardSignature[];
  protocolVersion: string;
}

// ---- 1.0 -------------------------------------------------------------------

export interface AgentInterfaceV1 {
  url: string;
  protocolBinding: string;
  protocolVersion: string;
  tenant?: string;
}

/** `{ schemes: { schemeName: { list: [scope, ...] } } }` */
export interface SecurityRequirementV1 {
  schemes: Record<string, { list: string[] }>;
}

export type OAuthFlowsV1 =
  | {
      authorizationCode: {
        authorizationUrl: string;
        tokenUrl: string;
        refreshUrl?: string;
        scopes: Record<string, string>;
        pkceRequired?: boolean;
      };
    }
  | { clientCredentials: { tokenUrl: string; refreshUrl?: string; scopes: Record<string, string> } }
  | { implicit: { authorizationUrl?: string; refreshUrl?: string; scopes?: Record<string, string> } }
  | { password: { tokenUrl?: string; refreshUrl?: string; scopes?: Record<string, string> } }
  | {
      deviceCode: {
        deviceAuthorizationUrl: string;
        tokenUrl: string;
        refreshUrl?: string;
        scopes: Record<string, string>;
      };
    };

export type SecuritySchemeV1 =
  | { apiKeySecurityScheme: { location: string; name: string; description?: string } }
  | { httpAuthSecurityScheme: { scheme: string; bearerFormat?: string; description?: string } }
  | { oauth2SecurityScheme: { flows: OAuthFlowsV1; oauth2MetadataUrl?: string; description?: string } }
  | { openIdConnectSecurityScheme: { openIdConnectUrl: string; description?: string } }
  | { mtlsSecurityScheme: { description?: string } };

export interface AgentSkillV1 {
  id: string;
  name: string;
  description: string;
  tags: string[];
  examples?: string[];
  inputModes?: string[];
  outputModes?: string[];
  securityRequirements?: SecurityRequirementV1[];
}

export interface A2ACardV1 {
  name: string;
  description: string;
  supportedInterfaces: AgentInterfaceV1[];
  provider?: AgentProvider;
  version: string;
  documentationUrl?: string;
  capabilities: {
    streaming?: boolean;
    pushNotifications?: boolean;
    extensions?: AgentExtension[];
    extendedAgentCard?: boolean;
  };
  securitySchemes?: Record<string, SecuritySchemeV1>;
  securityRequirements?: SecurityRequirementV1[];
  defaultInputModes: string[];
  defaultOutputModes: string[];
  skills: AgentSkillV1[];
  signatures?: AgentCardSignature[];
  iconUrl?: string;
}

export type A2ACard = A2ACardV03 | A2ACardV1;

export type A2ACardFor<V extends A2AVersion> = V extends '1.0' ? A2ACardV1 : A2ACardV03;

/** Something to fix or know about, at a path of the input. Same shape as crds' `Issue`. */
export interface TranslationWarning {
  path: string;
  message: string;
}

/** A rendered card with what was filled or left out, or why no valid card can be made (`issues`). */
export type TranslationResult<C> =
  | { success: true; card: C; warnings: TranslationWarning[] }
  | { success: false; issues: TranslationWarning[]; warnings: TranslationWarning[] };
