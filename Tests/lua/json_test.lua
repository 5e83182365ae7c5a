-- descry.json: round trips, exact numbers, Unicode, null, matrices, errors.
local T = require "descry.test"
local json = require "descry.json"
local la = require "descry.la"

T.test("decode objects, arrays, literals, escapes", function()
  local v = json.decode('{"a": [1, 2.5, null, true, false], "b": {"c": "x\\u00e9\\n\\ud83d\\ude00"}, "d": -1e-300}')
  T.eq(v.a[1], 1); T.eq(math.type(v.a[1]), "integer")
  T.eq(v.a[2], 2.5); T.eq(v.a[3], json.null); T.eq(v.a[4], true); T.eq(v.a[5], false)
  T.eq(v.b.c, "xé\n😀")
  T.eq(v.d, -1e-300)
  T.eq(tostring(json.null), "json.null")
end)

T.test("encode is deterministic (sorted keys) and numbers round-trip exactly", function()
  T.eq(json.encode({ b = 1, a = { 1, 2 }, c = "q\"\t" }), '{"a":[1,2],"b":1,"c":"q\\"\\t"}')
  local xs = { 0.1, 1 / 3, math.pi, 1e-310, 2 ^ 60, -0.0 }
  local back = json.decode(json.encode(xs))
  for i = 1, #xs do T.eq(back[i], xs[i]) end
  T.eq(json.encode({}), "{}")
  T.eq(json.encode(json.array()), "[]")
  T.eq(json.encode({ labels = json.array({}) }), '{"labels":[]}')
  T.eq(json.encode(json.decode('{"a": [], "b": {}}')), '{"a":[],"b":{}}')
  T.eq(json.encode(json.null), "null")
end)

T.test("la matrices encode as {rows, cols, data}", function()
  local v = json.decode(json.encode({ m = la.matrix({ { 1, 2 }, { 3, 4.5 } }) }))
  T.eq(v.m, { rows = 2, cols = 2, data = { 1, 2, 3, 4.5 } })
end)

T.test("pretty printing with indent", function()
  T.eq(json.encode({ a = { 1, 2 }, b = { c = true } }, { indent = 2 }),
    '{\n  "a": [1, 2],\n  "b": {\n    "c": true\n  }\n}')
end)

T.test("save and load files atomically", function()
  local path = os.tmpname()
  json.save(path, { version = 1, weights = { 0.25, 1 / 7 } })
  local v = json.load(path)
  T.eq(v.version, 1); T.eq(v.weights[2], 1 / 7)
  os.remove(path)
end)

T.test("errors: syntax with position, unsupported values, cycles, files", function()
  T.raises(function() json.decode('{"a": }') end, "json.decode: line 1, column 7: invalid value")
  T.raises(function() json.decode('[1, 2') end, "unterminated array")
  T.raises(function() json.decode('{"a": 1}\n x') end, "line 2, column 2: unexpected text")
  T.raises(function() json.decode(string.rep("[", 10000)) end, "nesting too deep")
  T.raises(function() json.encode({ 1, nil, 3 }) end, "array has holes")
  T.raises(function() json.encode({ x = 0 / 0 }) end, "value.x: NaN cannot be written as JSON")
  T.raises(function() json.encode({ 1, a = 2 }) end, "mixes array and object keys")
  T.raises(function() json.encode({ f = print }) end, "value.f: cannot write a function as JSON")
  local t = {}
  t.self = t
  T.raises(function() json.encode(t) end, "value.self: table contains itself")
  T.raises(function() json.load("/nonexistent/x.json") end, "json.load: /nonexistent/x.json: No such file or directory")
  T.raises(function() json.save("/nonexistent/x.json", {}) end, "json.save: cannot write '/nonexistent/x.json': No such file or directory")
end)

T.test("deep but finite nesting round-trips", function()
  local s = string.rep("[", 150) .. string.rep("]", 150)
  T.eq(json.encode(json.decode(s)), s)
end)
