/// descry.atoms engine: atomic structures, boxes, trajectory readers/writers, neighbour lists.
/// Pure Swift, no knowledge of Lua.
public enum DescryAtoms {}
