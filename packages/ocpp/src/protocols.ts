/** The OCPP-J WebSocket subprotocols this library speaks (OCPP-J 1.6 §3.1.2, 2.0.1 Part 4 §3.1.2). */
export const OCPP_PROTOCOLS = ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const;
export type OcppProtocol = (typeof OCPP_PROTOCOLS)[number];

export function isOcppProtocol(value: unknown): value is OcppProtocol {
  return typeof value === 'string' && (OCPP_PROTOCOLS as readonly string[]).includes(value);
}
