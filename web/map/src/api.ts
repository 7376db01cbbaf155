// The page's only way to the server: POST /graphql with `Authorization: Bearer <token>`.
// The token lives in sessionStorage (this tab only, gone when it closes), never in localStorage.

const TOKEN_KEY = "powermap.token";

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** The server refused the credentials (HTTP 401, an UNAUTHENTICATED error): the page signs out. A
 * FORBIDDEN error (a role that may not read or write something) is an ApiError: the key stays good. */
export class AuthError extends Error {}

/** Top-level GraphQL errors: a client fault or a masked crash. */
export class ApiError extends Error {
  constructor(readonly errors: GraphQLErrorEntry[]) {
    super(errors.map((e) => e.message).join("; ") || "request failed");
  }
}

const AUTH_CODES = new Set(["UNAUTHENTICATED"]);

export class Api {
  readonly endpoint: string;

  constructor(private token: string) {
    // /map/ -> /graphql, also when the service is mounted under a path prefix.
    this.endpoint = new URL("../graphql", window.location.href).toString();
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(this.endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        Authorization: `Bearer ${this.token}`,
      },
      body: JSON.stringify({ query, variables }),
      credentials: "omit",
    });
    if (response.status === 401) {
      throw new AuthError(`the server refused the key or token (HTTP ${response.status})`);
    }
    let body: { data?: T; errors?: GraphQLErrorEntry[] };
    try {
      body = await response.json();
    } catch {
      throw new ApiError([{ message: `the server answered HTTP ${response.status} without JSON` }]);
    }
    if (body.errors?.length) {
      if (body.errors.some((e) => AUTH_CODES.has(String(e.extensions?.["code"] ?? "")))) {
        throw new AuthError(body.errors[0]?.message ?? "not signed in");
      }
      throw new ApiError(body.errors);
    }
    if (body.data === undefined || body.data === null) {
      throw new ApiError([{ message: `the server answered HTTP ${response.status} without data` }]);
    }
    return body.data;
  }
}
