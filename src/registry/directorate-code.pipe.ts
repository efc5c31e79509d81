import { Injectable, type PipeTransform } from '@nestjs/common';
import { InvalidInputError } from '../common/errors/domain-error.js';

/** A directorate code in a path: upper-case letters, digits and _. */
@Injectable()
export class DirectorateCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Z][A-Z0-9_]{1,15}$/.test(value)) throw InvalidInputError.field('code', 'must be a directorate code such as DGSCGC');
    return value;
  }
}
