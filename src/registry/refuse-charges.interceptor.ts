import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { chargeFields } from './domain/gratuity.js';
import { ChargeRefusedError } from './domain/registry.errors.js';

/**
 * Free of charge is an invariant of the charter: a body that carries a price, cost, fee or
 * rate, at any depth, is refused with a message that says so, before field validation.
 */
@Injectable()
export class RefuseChargesInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const fields = chargeFields(context.switchToHttp().getRequest<{ body?: unknown }>().body);
    if (fields.length > 0) throw new ChargeRefusedError(fields);
    return next.handle();
  }
}
