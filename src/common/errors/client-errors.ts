import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from './error-response.js';

/** What the HTTP server refuses before any route is matched, in the API's one error shape. */
export function clientErrorBody(error: { code?: string }): ErrorBody {
  const answer = (statusCode: number, code: string, message: string): ErrorBody => ({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message });
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return answer(408, 'REQUEST.TIMEOUT', 'The request was not received in time; send it again');
    case 'HPE_HEADER_OVERFLOW':
      return answer(431, 'REQUEST.HEADERS_TOO_LARGE', `The request line and headers exceed ${maxHeaderSize} bytes, the most this server reads`);
    default:
      return answer(400, 'REQUEST.MALFORMED', 'The request is not well-formed HTTP');
  }
}

/** Fastify's clientErrorHandler: the refusal written on the socket, which is then closed. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const body = clientErrorBody(error);
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${body.statusCode} ${body.error}\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
