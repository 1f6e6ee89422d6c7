-- wrk script for the range-64k scenario of bench/run.sh: every request is
-- GET <path> with one random "Range: bytes=S-E" of RANGE_LEN bytes inside the
-- file (FILE_SIZE bytes, /16m.bin).  wrk takes a single -s script, so this one
-- loads wrk_report.lua (from its own folder) for the WRKRESULT line at the end.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "wrk_report.lua")

local FILE_SIZE = 16777216   -- 16m.bin
local RANGE_LEN = 65536

-- wrk runs one Lua state per thread: give each its own random sequence
local seeded = false

request = function()
  if not seeded then
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003)
    seeded = true
  end
  local s = math.random(0, FILE_SIZE - RANGE_LEN)
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Range"] = string.format("bytes=%d-%d", s, s + RANGE_LEN - 1)
  return wrk.format(nil, nil, headers)
end
