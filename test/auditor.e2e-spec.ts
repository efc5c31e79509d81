import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { IS_PUBLIC } from '../src/common/auth/access.decorators.js';
import { bearer, TestApp } from './support/test-app.js';

interface Route {
  method: 'post' | 'patch' | 'put' | 'delete';
  path: string;
  handler: string;
}

const COMMAND_METHODS: Partial<Record<RequestMethod, Route['method']>> = {
  [RequestMethod.POST]: 'post',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
};

/** Every private command route of the running application, read from its route table. */
function commandRoutes(t: TestApp): Route[] {
  const discovery = t.app.get(DiscoveryService);
  const scanner = t.app.get(MetadataScanner);
  const routes: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!controller) continue;
    const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler);
      const method = COMMAND_METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      if (path === undefined || !method || Reflect.getMetadata(IS_PUBLIC, handler)) continue;
      const full = ['/api/v1', prefix, String(path)].filter((part) => part && part !== '/').join('/').replace(/\/+/g, '/');
      routes.push({ method, path: full, handler: `${controller.name}.${name}` });
    }
  }
  return routes;
}

describe('AUDITOR reads everything and changes nothing', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('gets 403 on every command endpoint of the route table', async () => {
    const auditor = (await t.signedInUser('AUDITOR')).token;
    const routes = commandRoutes(t);
    expect(routes.length).toBeGreaterThan(40);
    const allowed: string[] = [];
    for (const route of routes) {
      const url = route.path.replace(/:code\b/g, 'DGSCGC').replace(/:[A-Za-z]+/g, '7b0d3f0e-6a43-4c4e-9a8e-0d0f3b0f7a11');
      const response = await t.http[route.method](url).set(bearer(auditor)).send({});
      if (response.status !== 403) allowed.push(`${route.method.toUpperCase()} ${route.path} (${route.handler}) → ${response.status}`);
    }
    expect(allowed).toEqual([]);
    process.stdout.write(`auditor: ${routes.length} command routes checked, all 403\n`);
  });
});
