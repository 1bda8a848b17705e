/**
 * The two Kinesis engines. kinesalite is the default: ~10× the throughput of kinesis-mock here
 * and it validates requests like AWS (PutRecords limits); kinesis-mock is what LocalStack runs.
 */
export const KINESIS_ENGINES = ['kinesalite', 'kinesis-mock'] as const;
export type KinesisEngine = (typeof KINESIS_ENGINES)[number];
