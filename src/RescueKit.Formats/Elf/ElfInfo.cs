namespace RescueKit.Formats.Elf;

/// <summary>
/// What the dynamic loader needs to know about an ELF file: the program interpreter (PT_INTERP), the libraries it
/// names (DT_NEEDED, in file order), the search paths it carries (DT_RUNPATH, DT_RPATH, split on ':' and not yet
/// expanded: "$ORIGIN" stays as written) and its own DT_SONAME. <see cref="IsDynamic"/> is true when the file has a
/// PT_DYNAMIC segment; a static executable has none, and so no interpreter and no needed libraries.
/// <see cref="Dlopen"/> lists the libraries the file declares it may dlopen() (its .note.dlopen notes).
/// </summary>
public sealed record ElfInfo(
    string? Interpreter,
    IReadOnlyList<string> Needed,
    IReadOnlyList<string> RunPath,
    IReadOnlyList<string> RPath,
    string? Soname,
    bool IsDynamic)
{
    public IReadOnlyList<ElfDlopenDependency> Dlopen { get; init; } = [];
}
