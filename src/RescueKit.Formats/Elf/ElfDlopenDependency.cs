namespace RescueKit.Formats.Elf;

/// <summary>
/// One entry of a .note.dlopen note (systemd.io/ELF_DLOPEN_METADATA): a feature of the program and the libraries it
/// dlopen()s for it, the first of <see cref="Sonames"/> that loads being the one used. <see cref="Priority"/> is
/// "required", "recommended" or "suggested" ("recommended" when the note leaves it out, as the specification says).
/// </summary>
public sealed record ElfDlopenDependency(string Feature, IReadOnlyList<string> Sonames, string Priority)
{
    public bool IsRequired => Priority == "required";
}
