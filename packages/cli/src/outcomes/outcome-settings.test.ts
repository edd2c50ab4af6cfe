import { changeOutcomeSettings, costPerSprint, featureLink, OUTCOME_SETTINGS_STATE, readOutcomeSettings } from './outcome-settings';

describe('outcome settings from the command line', () => {
  it('reads a cost per sprint either way round, and none', () => {
    expect(costPerSprint('10000 EUR')).toEqual({ perSprint: 10000, currency: 'EUR' });
    expect(costPerSprint('12500.50 eur')).toEqual({ perSprint: 12500.5, currency: 'EUR' });
    expect(costPerSprint('USD 8000')).toEqual({ perSprint: 8000, currency: 'USD' });
    expect(costPerSprint(' None ')).toBeNull();
  });

  it.each(['10k', '10,000 EUR', '0 EUR', 'EUR', '10000', '10000 EURO', '-5 EUR'])('refuses the cost %j, naming the flag and an example', (raw) => {
    expect(() => costPerSprint(raw)).toThrow(/^--cost-per-sprint: cost per sprint must be an amount above 0 and a currency code, e\.g\. 10000 EUR.*, got '.*'; none removes it$/);
  });

  it('says which flag, then the rule every surface shares', () => {
    expect(() => costPerSprint('10k')).toThrow(new Error("--cost-per-sprint: cost per sprint must be an amount above 0 and a currency code, e.g. 10000 EUR (no thousands separators), got '10k'; none removes it"));
  });

  it('reads a feature mapping, spaces around = allowed, and refuses one without both sides', () => {
    expect(featureLink('export=PROJ-12')).toEqual({ feature: 'export', shippedBy: 'PROJ-12' });
    expect(featureLink('search = Release 2.0')).toEqual({ feature: 'search', shippedBy: 'Release 2.0' });
    for (const raw of ['export', '=PROJ-12', 'export=', ' = ']) expect(() => featureLink(raw)).toThrow(/^--feature: a feature mapping needs a feature key and the epic key or release name that ships it/);
  });

  it('changes the settings: a feature mapped again replaces its target, removal names what is mapped', () => {
    const current = { cost: { perSprint: 100, currency: 'EUR' }, features: [{ feature: 'search', shippedBy: 'R2' }] };
    expect(changeOutcomeSettings(current, { features: [{ feature: 'search', shippedBy: 'R3' }, { feature: 'export', shippedBy: 'PROJ-12' }] })).toEqual({
      cost: { perSprint: 100, currency: 'EUR' },
      features: [{ feature: 'export', shippedBy: 'PROJ-12' }, { feature: 'search', shippedBy: 'R3' }],
    });
    expect(changeOutcomeSettings(current, { cost: null, removeFeatures: ['search'] })).toEqual({});
    expect(() => changeOutcomeSettings(current, { removeFeatures: ['serch'] })).toThrow('--remove-feature serch: no such feature is mapped (mapped: search)');
  });

  it('reads what the store keeps, and says so when it does not read', () => {
    const scope = (value: unknown) => ({ getState: <T>(name: string) => (name === OUTCOME_SETTINGS_STATE ? (value as T) : undefined) });
    expect(readOutcomeSettings(scope(undefined))).toEqual({});
    expect(readOutcomeSettings(scope({ cost: { perSprint: 5, currency: 'USD' } }))).toEqual({ cost: { perSprint: 5, currency: 'USD' } });
    expect(() => readOutcomeSettings(scope({ cost: { perSprint: -5, currency: 'USD' } }))).toThrow(/^the outcome settings kept in the store do not read \(.*\): set them again with agile-kpi outcomes settings$/);
  });
});
