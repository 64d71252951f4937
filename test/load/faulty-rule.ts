// A rule with a bug, for the tests that check one rule's crash is contained: on a product that
// sets the TRIGGER_FAULT property it reads a field of a lookup that found nothing (a real
// TypeError, with a real stack), after reporting one information finding per product it got to.
import type { Rule } from '../../server/src/engine/rules/rule';

export const FAULTY_RULE_ID = 'faulty-rule';
export const TRIGGER_PROPERTY = 'TRIGGER_FAULT';

export const faultyRule: Rule = {
  id: FAULTY_RULE_ID,
  defaultSeverity: 'information',
  description: 'Reports every product it checks, and throws on a product that sets TRIGGER_FAULT.',
  check(context) {
    const labels = new Map<string, { text: string }>();
    for (const product of context.products) {
      const trigger = product.properties.find((property) => property.name === TRIGGER_PROPERTY);
      if (trigger) labels.get(trigger.value.value)!.text.trim();
      context.report({ element: product.element, message: `checked ${product.element.attribute('Name')?.value ?? '?'}` });
    }
  },
};

/** A rule that throws only when it sees two products at once: no single file is to blame. */
export const faultyPairRule: Rule = {
  id: 'faulty-pair-rule',
  defaultSeverity: 'information',
  description: 'Throws when the workspace has more than one product.',
  check(context) {
    if (context.products.length > 1) throw new RangeError('two products are more than this rule can take');
  },
};
