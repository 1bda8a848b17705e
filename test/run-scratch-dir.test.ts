import { leftovers } from './run-scratch-dir';

describe('the run scratch folder check', () => {
  it("counts every folder a test made and leaves out tools' own", () => {
    // Arrange: what a run's folder holds after tests that forgot to clean up.
    const found = [
      'tsx-0',
      'cdk.outAbC123',
      'liveinsight-start-x1Y2z3',
      'liveinsight-s3-Q9w8E7',
      'query-nag-aaaaaa',
      'cdk.out', // not CDK's mkdtemp shape: someone's own folder
      'tsx-cache', // not tsx's `tsx-<uid>`
    ];

    // Act
    const left = leftovers(found);

    // Assert
    expect(left).toEqual([
      'cdk.out',
      'liveinsight-s3-Q9w8E7',
      'liveinsight-start-x1Y2z3',
      'query-nag-aaaaaa',
      'tsx-cache',
    ]);
  });
});
