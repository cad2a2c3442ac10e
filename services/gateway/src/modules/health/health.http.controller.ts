import { Controller, Get } from '@nestjs/common';
import { Public } from '../../auth/roles.decorator';

@Controller()
export class HealthHttpController {
  @Get('health')
  @Public()
  health() {
    return { status: 'ok' };
  }
}
