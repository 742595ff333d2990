import { renderGoTemplate } from './go-template';

describe('Go text/template subset (Polaris check files)', () => {
  const r = (t: string, data: unknown) => renderGoTemplate(t, data, { hasPrefix: (s: any, p: any) => String(s).startsWith(String(p)) });

  test('fields, missing keys (<no value>, false, no error on deeper access), trim markers, comments', () => {
    expect(r('a: {{ .a.b }}', { a: { b: 1 } })).toBe('a: 1');
    expect(r('{{ .x.y.z }}', {})).toBe('<no value>');
    expect(r('x\n  {{- if .missing.deeper }}yes{{ else }}no{{ end -}}\n  y', {})).toBe('xnoy');
    expect(r('{{/* a comment */}}k', {})).toBe('k');
  });

  test('if / else if / else, not, and, or, eq, ne, hasPrefix, print, index', () => {
    const t = '{{ if eq .k "a" }}A{{ else if and .x (not .y) }}X{{ else }}E{{ end }}';
    expect(r(t, { k: 'a' })).toBe('A');
    expect(r(t, { k: 'b', x: 1 })).toBe('X');
    expect(r(t, { k: 'b', x: 1, y: true })).toBe('E');
    expect(r('{{ or .a .b "c" }}', { b: '' })).toBe('c');
    expect(r('{{ if not (eq .f false) }}T{{ end }}', {})).toBe('T');
    expect(r('{{ if ne .n "view" }}T{{ end }}', { n: 'edit' })).toBe('T');
    expect(r('{{ if hasPrefix .n "system:" }}S{{ end }}', { n: 'system:x' })).toBe('S');
    expect(r('{{ $k := (print "p/" .c.name) }}{{ index .m $k }}', { c: { name: 'main' }, m: { 'p/main': 'v' } })).toBe('v');
  });

  test('variables are scoped to their block; `=` assigns the outer one', () => {
    expect(r('{{ $a := 1 }}{{ if true }}{{ $a = 2 }}{{ $b := 3 }}{{ end }}{{ $a }}', {})).toBe('2');
    expect(() => r('{{ if true }}{{ $b := 3 }}{{ end }}{{ $b }}', {})).toThrow(/undefined variable/);
  });

  test('range over a map visits keys in sorted order', () => {
    expect(r('{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}', { m: { b: 2, a: 1 } })).toBe('a=1;b=2;');
  });

  test('eq of different kinds is an error, as in Go; unsupported constructs throw', () => {
    expect(() => r('{{ eq .s true }}', { s: 'x' })).toThrow(/incompatible types/);
    expect(() => r('{{ .a | print }}', {})).toThrow(/pipes/);
    expect(() => r('{{ with .a }}{{ end }}', {})).toThrow(/not supported/);
  });
});
