import { COST_PER_SPRINT_RULE, checkCost, checkFeatureLink, checkOutcomeSettings, readCostPerSprint, readFeatureLink } from './outcome-settings';

describe('the outcome settings rule (every surface: CLI flags, the dashboard form, the hosts, the stores)', () => {
  it('takes a cost as two parts, amount as number or text, currency in any case', () => {
    expect(checkCost(10_000, 'EUR')).toEqual({ ok: true, value: { perSprint: 10_000, currency: 'EUR' } });
    expect(checkCost(' 12500.50 ', ' usd ')).toEqual({ ok: true, value: { perSprint: 12_500.5, currency: 'USD' } });
  });

  it.each([
    [0, 'EUR', "0 EUR"],
    [-5, 'EUR', '-5 EUR'],
    ['10,000', 'EUR', '10,000 EUR'],
    ['10k', 'EUR', '10k EUR'],
    [Number.POSITIVE_INFINITY, 'EUR', 'Infinity EUR'],
    [100, 'EURO', '100 EURO'],
    [100, '', '100'],
    [100, undefined, '100'],
    ['', 'EUR', 'EUR'],
  ])('refuses the cost %j %j, naming the field and an example', (amount, currency, shown) => {
    expect(checkCost(amount, currency)).toEqual({ ok: false, field: 'cost', message: `${COST_PER_SPRINT_RULE}, got '${shown}'` });
  });

  it('reads a cost written as one text, either way round, and none', () => {
    expect(readCostPerSprint('10000 EUR')).toEqual({ ok: true, value: { perSprint: 10_000, currency: 'EUR' } });
    expect(readCostPerSprint('eur 12500.5')).toEqual({ ok: true, value: { perSprint: 12_500.5, currency: 'EUR' } });
    expect(readCostPerSprint(' None ')).toEqual({ ok: true, value: null });
    for (const raw of ['10k', '10,000 EUR', '0 EUR', 'EUR', '10000', '-5 EUR']) expect(readCostPerSprint(raw)).toMatchObject({ ok: false, field: 'cost', message: expect.stringMatching(/^cost per sprint must be an amount above 0 and a currency code, e\.g\. 10000 EUR/) });
  });

  it('takes a feature mapping with both sides, trimmed', () => {
    expect(checkFeatureLink(' export ', 'PROJ-12 ')).toEqual({ ok: true, value: { feature: 'export', shippedBy: 'PROJ-12' } });
    expect(readFeatureLink('search = Release 2.0')).toEqual({ ok: true, value: { feature: 'search', shippedBy: 'Release 2.0' } });
    for (const [f, s] of [['', 'PROJ-1'], ['export', ' '], [undefined, 'x'], ['x'.repeat(201), 'R1']]) expect(checkFeatureLink(f, s)).toMatchObject({ ok: false, field: 'features' });
    for (const raw of ['export', '=PROJ-12', 'export=']) expect(readFeatureLink(raw)).toMatchObject({ ok: false, field: 'features', message: expect.stringMatching(/^a feature mapping needs a feature key and the epic key or release name/) });
  });

  it('checks whole settings: normalised, features in key order, each feature once, nothing else', () => {
    expect(checkOutcomeSettings({})).toEqual({ ok: true, value: {} });
    expect(checkOutcomeSettings({ cost: null, features: [] })).toEqual({ ok: true, value: {} });
    expect(
      checkOutcomeSettings({ cost: { perSprint: '8000', currency: 'chf' }, features: [{ feature: 'search', shippedBy: 'Release 2.0' }, { feature: ' export', shippedBy: 'PROJ-12' }] }),
    ).toEqual({ ok: true, value: { cost: { perSprint: 8000, currency: 'CHF' }, features: [{ feature: 'export', shippedBy: 'PROJ-12' }, { feature: 'search', shippedBy: 'Release 2.0' }] } });
    expect(checkOutcomeSettings({ features: [{ feature: 'a', shippedBy: 'R1' }, { feature: 'a ', shippedBy: 'R2' }] })).toEqual({ ok: false, field: 'features', message: 'feature a is mapped twice: a feature is shipped by one epic or release' });
    expect(checkOutcomeSettings({ cost: { perSprint: 5 } })).toMatchObject({ ok: false, field: 'cost' });
    expect(checkOutcomeSettings({ features: 'a=b' })).toMatchObject({ ok: false, field: 'features' });
    expect(checkOutcomeSettings({ costPerSprint: 5 })).toMatchObject({ ok: false, message: 'the outcome settings have a cost and features, not costPerSprint' });
    expect(checkOutcomeSettings([])).toMatchObject({ ok: false });
  });
});
