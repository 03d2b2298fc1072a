import * as assert from 'node:assert/strict';
import { pacerApi } from './support/pacer';

suite('API keys in SecretStorage', () => {
  teardown(async () => (await pacerApi()).service.keys.removeAll());

  test('add, list, rename and remove keys; the scheduler key pool follows without a reload', async () => {
    const { service } = await pacerApi();
    await service.keys.removeAll();
    const a = await service.keys.add('sk-ant-sim-itest-one-00000001', 'one');
    const b = await service.keys.add('sk-ant-sim-itest-two-00000002', 'two');
    assert.deepEqual(
      service.keys.list().map((k) => [k.label, k.last4]),
      [
        ['one', '0001'],
        ['two', '0002'],
      ],
    );
    assert.deepEqual(
      service.scheduler.snapshot().keys.map((k) => k.last4),
      ['0001', '0002'],
    );
    await service.keys.rename(a.id, 'work');
    assert.equal(service.scheduler.snapshot().keys.find((k) => k.id === a.id)?.label, 'work');
    await service.keys.remove(b.id);
    assert.deepEqual(
      service.scheduler.snapshot().keys.map((k) => k.id),
      [a.id],
    );
    await assert.rejects(service.keys.add('sk-ant-sim-itest-one-00000001', 'dup'), /already stored/);
  });

  test('secrets survive a reload of the store from SecretStorage (what another window sees)', async () => {
    const { service } = await pacerApi();
    await service.keys.removeAll();
    await service.keys.add('sk-ant-sim-itest-persist-0042', 'persisted');
    await service.keys.load();
    assert.equal(service.keys.list()[0]?.label, 'persisted');
    assert.equal(service.keys.secretFor(service.keys.list()[0]!.id), 'sk-ant-sim-itest-persist-0042');
  });

  test('a rename racing an add keeps both: the new key and the new label', async () => {
    const { service } = await pacerApi();
    await service.keys.removeAll();
    const first = await service.keys.add(['sk-ant-sim', 'itest-race-one-00000011'].join('-'), 'first');
    await Promise.all([
      service.keys.add(['sk-ant-sim', 'itest-race-two-00000012'].join('-'), 'second'),
      service.keys.rename(first.id, 'renamed'),
    ]);
    const labels = (): string[] =>
      service.keys
        .list()
        .map((k) => k.label)
        .sort();
    assert.deepEqual(labels(), ['renamed', 'second']);
    await service.keys.load();
    assert.deepEqual(labels(), ['renamed', 'second'], 'as stored in SecretStorage');
  });

  test('no key material in the snapshot the UI renders', async () => {
    const { service } = await pacerApi();
    await service.keys.add('sk-ant-sim-itest-secret-material-9999', 'secretive');
    const json = JSON.stringify(service.scheduler.snapshot());
    assert.ok(!json.includes('secret-material'));
    assert.ok(json.includes('9999'));
  });
});
