import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { PlatformOperator } from '../platform/operators.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.infer<S> : undefined;
/**
 * `member`: a valid access token of an active member (routes check the business's status).
 * `operator`: a valid operator token of an active platform operator (sync-server/platform/); a
 * member's token is refused there, and an operator's token on a member route.
 */
type AuthMode = 'none' | 'member' | 'operator';

export interface RouteSpec<B extends Schema, Q extends Schema, P extends Schema> {
  method: Method;
  /** Fastify syntax (`/v1/members/:id`); the OpenAPI document shows `{id}`. */
  path: string;
  summary: string;
  tag: string;
  /** Who may call (see AuthMode). */
  auth: AuthMode;
  body?: B;
  query?: Q;
  params?: P;
  /** Status → description and, when there is one, the JSON body's schema. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

export interface RouteContext<B extends Schema, Q extends Schema, P extends Schema> {
  body: Parsed<B>;
  query: Parsed<Q>;
  params: Parsed<P>;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface AuthedContext<
  B extends Schema,
  Q extends Schema,
  P extends Schema,
> extends RouteContext<B, Q, P> {
  principal: Principal;
}

export interface OperatorContext<
  B extends Schema,
  Q extends Schema,
  P extends Schema,
> extends RouteContext<B, Q, P> {
  operator: PlatformOperator;
}

export type Authenticate = (request: FastifyRequest) => Promise<Principal>;
export type AuthenticateOperator = (request: FastifyRequest) => Promise<PlatformOperator>;

interface DocumentedRoute {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  auth: AuthMode;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

/**
 * Registers REST routes and keeps their description, so the OpenAPI document is generated from the
 * same zod schemas that validate each request (a ZodError becomes the 400 of the one error shape).
 */
export class Router {
  readonly #routes: DocumentedRoute[] = [];

  constructor(
    private readonly app: FastifyInstance,
    private readonly authenticate: Authenticate,
    private readonly authenticateOperator: AuthenticateOperator,
  ) {}

  route<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
    spec: RouteSpec<B, Q, P> & { auth: 'none' },
    handler: (context: RouteContext<B, Q, P>) => Promise<unknown>,
  ): void;
  route<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
    spec: RouteSpec<B, Q, P> & { auth: 'member' },
    handler: (context: AuthedContext<B, Q, P>) => Promise<unknown>,
  ): void;
  route<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
    spec: RouteSpec<B, Q, P> & { auth: 'operator' },
    handler: (context: OperatorContext<B, Q, P>) => Promise<unknown>,
  ): void;
  route<B extends Schema, Q extends Schema, P extends Schema>(
    spec: RouteSpec<B, Q, P>,
    handler: (context: AuthedContext<B, Q, P> & OperatorContext<B, Q, P>) => Promise<unknown>,
  ): void {
    this.#routes.push(spec);
    this.app.route({
      method: spec.method,
      url: spec.path,
      handler: async (request, reply) => {
        // Who is calling is settled before the request is read; only the mode's own is present.
        const principal =
          spec.auth === 'member' ? await this.authenticate(request) : (undefined as never);
        const operator =
          spec.auth === 'operator'
            ? await this.authenticateOperator(request)
            : (undefined as never);
        const context = {
          body: (spec.body ? spec.body.parse(request.body ?? {}) : undefined) as Parsed<B>,
          query: (spec.query ? spec.query.parse(request.query) : undefined) as Parsed<Q>,
          params: (spec.params ? spec.params.parse(request.params) : undefined) as Parsed<P>,
          request,
          reply,
          principal,
          operator,
        };
        return handler(context);
      },
    });
  }

  /** Documents a route registered elsewhere (the shape endpoint streams its own response). */
  document(route: DocumentedRoute): void {
    this.#routes.push(route);
  }

  /** The OpenAPI 3.1 document of every registered route. */
  openApi(info: { title: string; version: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.#routes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const parameters = [
        ...objectParameters(route.params, 'path'),
        ...objectParameters(route.query, 'query'),
      ];
      paths[path] ??= {};
      paths[path][route.method.toLowerCase()] = {
        summary: route.summary,
        tags: [route.tag],
        ...(route.auth === 'none' ? {} : { security: [{ [securitySchemeOf[route.auth]]: [] }] }),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(route.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
              },
            }
          : {}),
        responses: Object.fromEntries(
          Object.entries(route.responses).map(([status, response]) => [
            status,
            {
              description: response.description,
              ...(response.schema
                ? {
                    content: {
                      'application/json': { schema: jsonSchema(response.schema, 'output') },
                    },
                  }
                : {}),
            },
          ]),
        ),
      };
    }
    return {
      openapi: '3.1.0',
      info,
      paths,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          operatorAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              'A platform operator token from POST /v1/platform/auth/login (audience ' +
              'fieldline-platform); a member access token is refused.',
          },
        },
        schemas: { Error: jsonSchema(errorBodySchema, 'output') },
      },
    };
  }
}

/** The OpenAPI security scheme each authenticated mode documents. */
const securitySchemeOf = { member: 'bearerAuth', operator: 'operatorAuth' } as const;

/** The one error body, documented once. */
export const errorBodySchema = z.object({
  code: z.string().describe('Stable machine-readable error code'),
  message: z.string(),
  requestId: z.string(),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const document: Record<string, unknown> = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  });
  delete document.$schema;
  return document;
}

function objectParameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}
