-- require with package.preload and package.loaded (no files involved)
package.preload["mymod"] = function(name)
  print("loading", name)
  return {answer = 42, name = name}
end
local m = require("mymod")
print(m.answer, m.name)
local again = require("mymod")                 -- cached: the loader does not run again
print(again == m, package.loaded["mymod"] == m)
-- a loader returning nothing stores true
package.preload["noreturn"] = function() end
print(require("noreturn"), package.loaded["noreturn"])
-- package.loaded can be pre-populated
package.loaded["fake"] = "preset value"
print(require("fake"))
-- a missing module is an error (message text lists search paths, so only check the start)
local ok, e = pcall(require, "surely_missing_module_xyz")
print(ok, (e:match("^module 'surely_missing_module_xyz' not found")) ~= nil)
-- an error inside a loader propagates
package.preload["broken"] = function() error("loader failed", 0) end
print(pcall(require, "broken"))
print(type(package.path), type(package.cpath), type(package.loaded), type(package.preload))
print(package.loaded.string == string, package.loaded._G == _G)
