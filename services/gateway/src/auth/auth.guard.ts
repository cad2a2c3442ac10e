import { Inject, Injectable, UnauthorizedException, ForbiddenException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_KEY, ROLES_KEY, type Role } from './roles.decorator';
import { TokenRegistry, type Principal } from './tokens';

export const TOKENS = Symbol('TOKENS');

/** Every request carries a bearer token, except on endpoints marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TOKENS) private readonly tokens: TokenRegistry,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const principal = token ? this.tokens.find(token) : undefined;
    if (!principal) throw new UnauthorizedException({ code: 'AUTH.REQUIRED', message: 'send a valid API token: Authorization: Bearer <token>' });
    const needed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (!principal.roles.includes('admin') && !needed.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenException({ code: 'AUTH.FORBIDDEN', message: `${principal.name} needs one of the roles: ${needed.join(', ')}` });
    }
    req.principal = principal;
    return true;
  }
}
