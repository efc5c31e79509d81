import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class DirectorateResponse {
  @ApiProperty({ example: 'DGSCGC' }) code: string;
  @ApiProperty({ example: 'Direction générale de la sécurité civile et de la gestion des crises' }) name: string;
}

export class CategoryResponse {
  @ApiProperty({ example: 'DRONE' }) code: string;
  @ApiProperty({ example: 'Drones and counter-drone systems' }) label: string;
}

export class CreateCategoryRequest {
  @ApiProperty({ example: 'SATELLITE_IMAGERY', pattern: '^[A-Z][A-Z0-9_]{1,39}$', description: 'Upper-case code, unique' })
  @IsString() @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'code must be 2-40 upper-case letters, digits or _' })
  code: string;

  @ApiProperty({ maxLength: 200, example: 'Satellite imagery' }) @IsString() @Length(1, 200)
  label: string;
}
