// Backend selection without a GPU: option parsing, and the Vulkan driver check
// that lets `auto` skip a Vulkan attempt the loader cannot satisfy.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { optionsFromEnv, parseBackend, vulkanDriverSearch } from '../../src/gpu/backend.js';
import { vulkanDriverInstalled } from '../../src/gpu/node-gpu.js';

describe('backend options', () => {
  test('names are case-insensitive; an unknown one names its source and the choices', () => {
    expect(parseBackend('OpenGL', '--backend')).toBe('opengl');
    expect(parseBackend(undefined, '--backend')).toBe('auto');
    expect(() => parseBackend('cuda', 'ROBUST_TAGGER_BACKEND')).toThrow(/ROBUST_TAGGER_BACKEND: unknown backend 'cuda'.*vulkan, opengl/);
    expect(optionsFromEnv({ ROBUST_TAGGER_BACKEND: 'swiftshader', ROBUST_TAGGER_ADAPTER: 'llvm' })).toEqual({ backend: 'swiftshader', adapter: 'llvm' });
  });
});

describe('Vulkan driver discovery', () => {
  const root = mkdtempSync(join(tmpdir(), 'robust-tagger-icd-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const dir = (name: string): string => {
    const d = join(root, name);
    mkdirSync(d, { recursive: true });
    return d;
  };

  test('search follows the loader: named files, XDG config dirs, sysconfdir, data home, data dirs', () => {
    const s = vulkanDriverSearch({ VK_ICD_FILENAMES: '/a.json:/b.json', XDG_CONFIG_DIRS: '/c1:/c2', HOME: '/h', XDG_DATA_DIRS: '/d1/' }, '/sys');
    expect(s.files).toEqual(['/a.json', '/b.json']);
    expect(s.dirs).toEqual(['/c1/vulkan/icd.d', '/c2/vulkan/icd.d', '/sys/vulkan/icd.d', '/h/.local/share/vulkan/icd.d', '/d1/vulkan/icd.d']);
  });

  test('no manifest anywhere: not installed; one manifest in a data dir or a named file: installed', () => {
    const env = { XDG_CONFIG_DIRS: dir('config'), XDG_DATA_HOME: dir('home'), XDG_DATA_DIRS: dir('data') };
    const sys = dir('etc');
    mkdirSync(join(env.XDG_DATA_DIRS, 'vulkan', 'icd.d'), { recursive: true });
    writeFileSync(join(env.XDG_DATA_DIRS, 'vulkan', 'icd.d', 'README'), 'not a manifest');
    expect(vulkanDriverInstalled(env, sys)).toBe(false);
    writeFileSync(join(env.XDG_DATA_DIRS, 'vulkan', 'icd.d', 'gpu_icd.json'), '{}');
    expect(vulkanDriverInstalled(env, sys)).toBe(true);
    const named = join(dir('named'), 'nvidia_icd.json');
    writeFileSync(named, '{}');
    expect(vulkanDriverInstalled({ ...env, XDG_DATA_DIRS: dir('empty'), VK_DRIVER_FILES: named }, sys)).toBe(true);
    expect(vulkanDriverInstalled({ ...env, XDG_DATA_DIRS: dir('empty'), VK_DRIVER_FILES: join(root, 'missing.json') }, sys)).toBe(false);
  });
});
