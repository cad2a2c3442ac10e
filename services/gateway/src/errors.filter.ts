import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { isIdsyncError } from '@idsync/contracts';

/** Maps coded errors to HTTP statuses; the body is always { code, message, details }. */
export function statusOf(code: string): number {
  if (code.endsWith('.NOT_FOUND')) return 404;
  if (code === 'SERVICE.UNAVAILABLE') return 503;
  if (/INVALID_TRANSITION|SELF_APPROVAL|CONFLICT/.test(code)) return 409;
  if (/INVALID|BAD_|REQUIRED|UNKNOWN_KIND|^EXPRESSION\./.test(code)) return 400;
  // The system a connection points at could not be reached or refused idsync: not idsync's own failure.
  if (/^CONNECTOR\.(UNREACHABLE|AUTH_FAILED|TLS_FAILED)$/.test(code)) return 502;
  return 500;
}

@Catch()
export class ErrorsFilter implements ExceptionFilter {
  catch(e: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<{ status(n: number): { json(b: unknown): void } }>();
    if (isIdsyncError(e)) {
      res.status(statusOf(e.code)).json({ code: e.code, message: e.message, details: e.details });
      return;
    }
    if (e instanceof HttpException) {
      const body = e.getResponse();
      res.status(e.getStatus()).json(typeof body === 'object' ? { code: 'HTTP.' + e.getStatus(), ...body } : { code: 'HTTP.' + e.getStatus(), message: body });
      return;
    }
    res.status(500).json({ code: 'INTERNAL', message: (e as Error)?.message ?? 'internal error' });
  }
}
