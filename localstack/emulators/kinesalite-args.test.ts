import { parseKinesaliteArgs } from './kinesalite-args';

describe('parseKinesaliteArgs', () => {
  it('reads the port and the numeric options kinesalite takes', () => {
    expect(
      parseKinesaliteArgs(['--port', '4567', '--createStreamMs', '100', '--shardLimit', '500']),
    ).toEqual({ port: 4567, createStreamMs: 100, shardLimit: 500 });
  });

  it('reads the folder of an on-disk stream store', () => {
    expect(parseKinesaliteArgs(['--port', '1', '--path', '/data/kinesis'])).toEqual({
      port: 1,
      path: '/data/kinesis',
    });
  });

  it.each([
    [['--createStreamMs', '100'], '--port <port> is required'],
    [['--port', 'abc'], '--port must be a non-negative integer, received "abc"'],
    [
      ['--port', '1', '--shardLimit=-3'],
      '--shardLimit must be a non-negative integer, received "-3"',
    ],
    [['--port', '1', '--deleteStreamMs', '1.5'], '--deleteStreamMs must be a non-negative integer'],
    [['--port', ''], '--port must be a non-negative integer, received ""'],
    [['--port', '1', '--path', ''], '--path must name a folder, received ""'],
    [['--port', '1', '--dir', '/tmp/x'], "Unknown option '--dir'"],
    [['--port', '1', 'extra'], 'expected --port <port> and optionally --createStreamMs <n>'],
  ])('refuses %j, saying %s', (args, message) => {
    expect(() => parseKinesaliteArgs(args)).toThrow(message);
  });
});
