import { Controller, Get, Header } from '@nestjs/common';

@Controller()
export class AppController {
  @Get()
  @Header('Content-Type', 'text/plain')
  hello(): string {
    return 'Hello from node-nestjs\n';
  }

  @Get('healthz')
  health(): { status: string } {
    return { status: 'ok' };
  }
}
