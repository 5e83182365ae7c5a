-- Writes every descriptor and neighbour-list output descry computes on the LAMMPS fixtures
-- (Tests/DescryTestSupport/Fixtures/desc) as .npy files, so two builds can be compared
-- bit for bit (scripts/compare_desc_bits runs this with both and compares the bytes).
-- Usage: descry scripts/desc_bits.lua <fixture desc dir> <output dir>
local atoms = require "descry.atoms"
local desc = require "descry.desc"
local la = require "descry.la"
local json = require "descry.json"

local root, out = arg[1], arg[2]
assert(root and out, "usage: descry desc_bits.lua <fixture desc dir> <output dir>")
local manifest = json.load(root .. "/manifest.json")

local function save(name, m) la.save(out .. "/" .. name .. ".npy", m) end

local function params(s, c, threads)
  local chem
  if c.chem then
    chem = {}
    for e in c.chem:gmatch("%S+") do chem[#chem + 1] = tonumber(e) end
    table.remove(chem, 1)   -- LAMMPS "chem nel map...": drop nel
  end
  return {twojmax = c.twojmax, rcutfac = s.rcutfac, rfac0 = s.rfac0, rmin0 = c.rmin0,
          radelem = s.radelem, wj = s.wj, switchflag = c.switchflag, bzeroflag = c.bzeroflag,
          quadraticflag = c.quadraticflag, bnormflag = c.bnormflag or 0,
          wselfallflag = c.wselfallflag or 0, chem = chem, threads = threads}
end

local function neighbours(tag, frame, rc)
  for _, th in ipairs{1, 2} do
    local nl = frame:neighbors(rc, {threads = th})
    local rows = {}
    for i = 1, frame:count() do
      local idx, vec = nl:of(i)
      for k = 1, #idx do
        rows[#rows + 1] = {i, idx[k], vec:get(k, 1), vec:get(k, 2), vec:get(k, 3)}
      end
    end
    save(string.format("%s_nl%g_t%d", tag, rc, th), #rows > 0 and la.matrix(rows) or la.zeros(1, 1))
  end
end

local names = {}
for name in pairs(manifest) do names[#names + 1] = name end
table.sort(names)
for _, name in ipairs(names) do
  local s = manifest[name]
  if s.configs then
    local frame = atoms.read(root .. "/" .. name .. "/structure.lammpstrj")
    for _, rc in ipairs{4.2, 9.5} do neighbours(name, frame, rc) end
    if s.rdf then
      local r, g, n = frame:rdf(s.rdf.cutoff, s.rdf.nbins)
      save(name .. "_rdf_g", g)
      save(name .. "_rdf_n", n)
    end
    local configs = {}
    for c in pairs(s.configs) do configs[#configs + 1] = c end
    table.sort(configs)
    for _, cname in ipairs(configs) do
      for _, th in ipairs{1, 2} do
        local bs = desc.bispectrum(params(s, s.configs[cname], th))
        local tag = string.format("%s_%s_t%d", name, cname, th)
        local r = bs:compute(frame, {virial = true, peratom = true})
        save(tag .. "_B", r.peratom)
        save(tag .. "_sum", r.sum)
        save(tag .. "_V", r.virial)
        for t, v in ipairs(r.virial_by_type) do save(tag .. "_Vt" .. t, v) end
        local r2 = bs:compute(frame, {virial = false, peratom = false})
        save(tag .. "_sum_novirial", r2.sum)
        save(tag .. "_dB", bs:gradients(frame))
        save(tag .. "_vox", bs:voxels(frame, {2, 3, 1}))
      end
    end
  end
end
-- the streaming pipeline on the 7-frame trajectory
local tj = manifest.traj
local s = manifest[tj.structure]
for _, th in ipairs{1, 2} do
  local bs = desc.bispectrum(params(s, s.configs[tj.config], th))
  local D, V = bs:trajectory(atoms.open(root .. "/traj/traj.lammpstrj"), {average = 2, virial = true})
  save("traj_D_t" .. th, D)
  save("traj_V_t" .. th, V)
end
print("desc_bits: wrote " .. out)
