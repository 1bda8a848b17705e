import { groupMetricPoints, malformedRecordGroups } from './metric-groups';

describe('groupMetricPoints', () => {
  it('sums per site and minute, in catalog order, and drops sums of zero', () => {
    const groups = groupMetricPoints([
      { siteId: 'shop-b', minute: 100, name: 'PageViews', value: 2 },
      { siteId: 'shop-a', minute: 101, name: 'Events', value: 1 },
      { siteId: 'shop-a', minute: 100, name: 'Events', value: 3 },
      { siteId: 'shop-a', minute: 100, name: 'SessionsStarted', value: 1 },
      { siteId: 'shop-a', minute: 100, name: 'Events', value: 2 },
      { siteId: 'shop-b', minute: 100, name: 'EngagedTime', value: 0 },
    ]);

    expect(groups).toEqual([
      {
        scope: 'site',
        siteId: 'shop-a',
        minute: 100,
        values: [
          ['SessionsStarted', 1],
          ['Events', 5],
        ],
      },
      { scope: 'site', siteId: 'shop-a', minute: 101, values: [['Events', 1]] },
      { scope: 'site', siteId: 'shop-b', minute: 100, values: [['PageViews', 2]] },
    ]);
  });

  it('yields no group for no points', () => {
    expect(groupMetricPoints([])).toEqual([]);
  });
});

describe('malformedRecordGroups', () => {
  it('counts malformed records per minute, without a site', () => {
    expect(malformedRecordGroups([7, 5, 7])).toEqual([
      { scope: 'processor', minute: 5, values: [['MalformedStreamRecords', 1]] },
      { scope: 'processor', minute: 7, values: [['MalformedStreamRecords', 2]] },
    ]);
  });
});
