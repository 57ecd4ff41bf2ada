/** Type plumbing shared by the router, the decorators and `ChargePoint`. */

/** A version's `ActionMap`: action name → `{ request, response }`. */
export type ActionMapOf<M> = { [A in keyof M]: { request: object; response: object } };

export type ActionOf<M> = keyof M & string;
export type RequestOf<M, A extends keyof M> = M[A] extends { request: infer R } ? R : never;
export type ResponseOf<M, A extends keyof M> = M[A] extends { response: infer R } ? R : never;

export type MaybePromise<T> = T | Promise<T>;
