/// descry.desc engine: bispectrum (SNAP) descriptors D̄ and virial descriptors V̄ as LAMMPS
/// `compute sna/atom` / `snav/atom` (Thompson et al., J. Comput. Phys. 285, 316, 2015).
public enum DescryDescriptors {}
