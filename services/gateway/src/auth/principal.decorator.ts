import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from './tokens';

/** The authenticated caller of this request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal);
