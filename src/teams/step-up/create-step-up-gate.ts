// The step-up gate APPROVAL_STEP_UP asks for: none, the sandbox's simulation, or the real sign-in
// through the Azure Bot's OAuth connection, judged against the tenant's published keys.
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/ports';
import type { StepUpLedger } from '../../core/step-up/step-up-ledger';
import { STEP_UP_SKEW_SECONDS, type StepUpConfig } from '../../step-up-config';
import { SimulatedStepUp } from './simulated-step-up';
import { BotFrameworkStepUp, type StepUpGate } from './step-up-gate';
import { StepUpTokenValidator } from './token-validator';

export function createStepUpGate(
  config: StepUpConfig,
  ledger: StepUpLedger,
  clock: Clock,
  logger: Logger,
): StepUpGate | undefined {
  switch (config.mode) {
    case 'off':
      return undefined;
    case 'simulated':
      return new SimulatedStepUp(clock, config.maxAgeSeconds);
    case 'required': {
      const { connectionName, audience, metadataUrl, tenantId } = config;
      // Config refuses `required` without these; this only keeps the types honest.
      if (!connectionName || !audience || !metadataUrl || !tenantId) {
        throw new Error('APPROVAL_STEP_UP=required is missing its connection, audience or tenant.');
      }
      return new BotFrameworkStepUp({
        connectionName,
        policy: {
          tenantId,
          authContext: config.authContext,
          maxAgeSeconds: config.maxAgeSeconds,
          skewSeconds: STEP_UP_SKEW_SECONDS,
        },
        validator: new StepUpTokenValidator({
          metadataUrl,
          audience,
          clockToleranceSeconds: STEP_UP_SKEW_SECONDS,
          now: () => clock.now(),
        }),
        ledger,
        clock,
        logger,
      });
    }
  }
}
