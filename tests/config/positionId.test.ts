import { describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioText } from '../../src/config/index.ts';
import { scenarioName, scenarioPositionId } from '../../src/config/positionId.ts';

describe('scenarioName', () => {
  // One row per file: path, name.
  it.each([
    ['examples/spec/sete-bigjump.json', 'sete-bigjump'],
    ['/tmp/My Scenario (2).yaml', 'My_Scenario__2_'],
    ['ticks.v2.csv', 'ticks.v2'],
    ['.json', '.json'], // a dotfile has no extension
  ])('%s → %s', (file, name) => {
    expect(scenarioName(file)).toBe(name);
  });
});

describe('scenarioPositionId', () => {
  const document = {
    market: { tickSize: '0.01' },
    position: { side: 'long', entryPrice: '100', quantity: '1', openedAt: 0 },
    policy: { initialStop: { percent: 2 } },
    ticks: [[1000, '101']],
  };

  it('is the same however the file writes the scenario, and differs when a tick changes', () => {
    const json = parseScenario(document, 'a.json');
    const yaml = parseScenarioText(
      'market: {tickSize: 0.01}\nposition: {side: long, entryPrice: 100, quantity: 1, openedAt: 0}\npolicy: {initialStop: {percent: 2}}\nticks: [[1000, "101"]]\n',
      { file: 'a.yaml' },
    );
    expect(scenarioPositionId('dir/a.json', json)).toMatch(/^a-[0-9a-f]{12}$/);
    expect(scenarioPositionId('dir/a.yaml', yaml)).toBe(scenarioPositionId('dir/a.json', json));
    const edited = parseScenario({ ...document, ticks: [[1000, '102']] }, 'a.json');
    expect(scenarioPositionId('a.json', edited)).not.toBe(scenarioPositionId('a.json', json));
  });
});
