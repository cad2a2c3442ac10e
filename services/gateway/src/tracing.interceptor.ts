import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { contextFrom, inSpan, SpanKind } from '@idsync/observability';
import { from, lastValueFrom, type Observable } from 'rxjs';

/**
 * One server span per API call, continuing the caller's trace (a `traceparent` header), so a
 * request can be followed through the services it asks.
 */
@Injectable()
export class TracingInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<{ method: string; route?: { path?: string }; url: string; headers: Record<string, string | undefined> }>();
    const route = req.route?.path ?? req.url;
    return from(
      inSpan(`${req.method} ${route}`, { kind: SpanKind.SERVER, parent: contextFrom(req.headers.traceparent), attributes: { 'http.request.method': req.method, 'http.route': route } }, () =>
        lastValueFrom(next.handle(), { defaultValue: undefined }),
      ),
    );
  }
}
