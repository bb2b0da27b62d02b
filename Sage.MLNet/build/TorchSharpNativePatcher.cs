// Lets TorchSharp's libLibTorchSharp.so load where libstdc++ predates gcc 13 (Debian 12, Ubuntu 22.04).
// One implementation, compiled twice: by MSBuild's RoslynCodeTaskFactory from Sage.MLNet.targets (the build-time
// patch of output copies; references Microsoft.Build.*, defines no preprocessor symbols) and into Sage.MLNet
// itself (net10.0, so NET is defined), where Native/TorchSharpNativeCache.cs patches a per-user copy at run time.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
#if !NET
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

namespace Sage.MLNet.Build
{
    /// <summary>
    /// Reads and edits the GNU symbol-versioning sections of an ELF64 little-endian shared library so
    /// that it no longer insists on libstdc++'s GLIBCXX_3.4.32.
    /// </summary>
    /// <remarks>
    /// gcc 13's &lt;iostream&gt; references <c>std::ios_base_library_init()</c>@GLIBCXX_3.4.32 only to record a
    /// version dependency: no relocation uses the symbol. Setting the symbol's <c>.gnu.version</c> entry to
    /// VER_NDX_GLOBAL and VER_FLG_WEAK on the GLIBCXX_3.4.32 <c>Elf64_Vernaux</c> in <c>.gnu.version_r</c>
    /// makes glibc's loader accept a libstdc++ without that version; nothing else in the file changes.
    /// </remarks>
    internal static class TorchSharpElf
    {
        /// <summary>The libstdc++ symbol version introduced by gcc 13.</summary>
        public const string Glibcxx332 = "GLIBCXX_3.4.32";

        private const string IosBaseLibraryInit = "_ZSt21ios_base_library_initv";

        // sh_type values, from elf.h.
        private const uint ShtRela = 4, ShtDynamic = 6, ShtDynsym = 11, ShtRel = 9;
        private const long DtNull = 0, DtNeeded = 1;
        private const uint ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;

        private const ushort VerNdxGlobal = 1;
        private const ushort VerFlgWeak = 0x2;
        private const ushort VersymIndexMask = 0x7fff; // the top bit of a versym entry is VERSYM_HIDDEN

        private static readonly string[] _libStdCxxDirectories =
        {
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
        };

        /// <summary>
        /// Whether loading <paramref name="path"/> fails on a libstdc++ without GLIBCXX_3.4.32: it has a
        /// non-weak requirement of that version, or a symbol still bound to it.
        /// </summary>
        /// <param name="path">An ELF64 little-endian shared library.</param>
        /// <exception cref="InvalidDataException">The file is not such a library; the message names it.</exception>
        public static bool RequiresGlibcxx332(string path) => Requires(Analyze(File.ReadAllBytes(path), path));

        /// <summary>
        /// Makes the GLIBCXX_3.4.32 requirement of <paramref name="path"/> optional, replacing the file
        /// atomically and keeping its permissions and last-write time. Does nothing when not required.
        /// </summary>
        /// <param name="path">An ELF64 little-endian shared library, typically an output copy of libLibTorchSharp.so.</param>
        /// <returns><see langword="true"/> when the file was changed.</returns>
        /// <exception cref="InvalidDataException">
        /// The file is not such a library, or a symbol other than an unreferenced
        /// <c>std::ios_base_library_init()</c> needs GLIBCXX_3.4.32 (a definition would then be required);
        /// the message names the file.
        /// </exception>
        public static bool Patch(string path)
        {
            var patched = PatchedImage(File.ReadAllBytes(path), path);
            if (patched == null)
                return false;

            // Edit a copy next to the original, then rename it over the original: a reader never sees a
            // half-written file, and a hard or symbolic link into the NuGet cache is replaced, not written through.
            var lastWriteUtc = File.GetLastWriteTimeUtc(path);
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            try
            {
                File.Copy(path, temp); // keeps the original's permissions
                // A read-only original (from a read-only package cache) gives a read-only copy: lift that while writing.
                var attributes = File.GetAttributes(temp);
                File.SetAttributes(temp, attributes & ~FileAttributes.ReadOnly);
                using (var stream = new FileStream(temp, FileMode.Truncate, FileAccess.Write))
                    stream.Write(patched, 0, patched.Length);
                File.SetAttributes(temp, attributes);
                // Keep the copied file's time so that MSBuild's incremental Copy (same size and time) leaves
                // the patched file in place instead of copying the original over it on every build.
                File.SetLastWriteTimeUtc(temp, lastWriteUtc);
                File.Replace(temp, path, null);
            }
            finally
            {
                File.Delete(temp);
            }
            return true;
        }

        /// <summary>
        /// Returns a copy of the library image <paramref name="image"/> whose GLIBCXX_3.4.32 requirement is optional:
        /// the symbol's <c>.gnu.version</c> entry and the requirement's <c>vna_flags</c> differ, nothing else.
        /// </summary>
        /// <param name="image">The bytes of an ELF64 little-endian shared library.</param>
        /// <param name="path">The file the bytes came from, named in errors.</param>
        /// <returns>The patched copy, or <see langword="null"/> when the image does not require the version.</returns>
        /// <exception cref="InvalidDataException">As for <see cref="Patch"/>.</exception>
        public static byte[]? PatchedImage(byte[] image, string path)
        {
            var use = Analyze(image, path);
            if (!Requires(use))
                return null;
            var patched = (byte[])image.Clone();
            foreach (var offset in use.VersymOffsets)
                WriteUInt16(patched, offset, VerNdxGlobal);
            WriteUInt16(patched, use.VernauxFlagsOffset, (ushort)(use.VernauxFlags | VerFlgWeak));
            return patched;
        }

        /// <summary>Lists the DT_NEEDED entries of <paramref name="path"/>: the sonames it asks the loader for.</summary>
        /// <param name="path">An ELF64 little-endian shared library.</param>
        /// <exception cref="InvalidDataException">The file is not such a library; the message names it.</exception>
        public static IReadOnlyList<string> NeededLibraries(string path)
        {
            var elf = new ElfReader(File.ReadAllBytes(path), path);
            var needed = new List<string>();
            int dynamic = elf.FindSection(ShtDynamic);
            if (dynamic < 0)
                return needed;
            // Elf64_Dyn { d_tag (int64), d_val (uint64) }, up to DT_NULL; DT_NEEDED values index sh_link's strtab.
            int strtab = elf.SectionOffset(elf.SectionLink(dynamic));
            int start = elf.SectionOffset(dynamic);
            long count = elf.SectionSize(dynamic) / 16;
            for (int i = 0; i < count; i++)
            {
                long tag = (long)elf.UInt64(start + 16 * i);
                if (tag == DtNull)
                    break;
                if (tag == DtNeeded)
                    needed.Add(elf.CString(strtab + checked((int)elf.UInt64(start + 16 * i + 8))));
            }
            return needed;
        }

        /// <summary>
        /// Finds this host's libstdc++.so.6 in the usual library folders and reports whether it defines GLIBCXX_3.4.32.
        /// </summary>
        /// <param name="libStdCxxPath">The libstdc++.so.6 inspected, or <see langword="null"/> when none was found.</param>
        /// <returns><see langword="true"/> when the library found defines the version; <see langword="false"/> otherwise.</returns>
        public static bool HostProvidesGlibcxx332(out string? libStdCxxPath)
        {
            libStdCxxPath = null;
            foreach (var directory in _libStdCxxDirectories)
            {
                var candidate = Path.Combine(directory, "libstdc++.so.6");
                if (File.Exists(candidate))
                {
                    libStdCxxPath = candidate;
                    return DefinesGlibcxx332(candidate);
                }
            }
            return false;
        }

        // The version name sits NUL-terminated in .dynstr of a libstdc++ that defines it.
        private static bool DefinesGlibcxx332(string libStdCxxPath) =>
            IndexOf(File.ReadAllBytes(libStdCxxPath), Encoding.ASCII.GetBytes(Glibcxx332 + "\0")) >= 0;

        private static bool Requires(Glibcxx332Use use) =>
            use.VernauxFlagsOffset >= 0 && ((use.VernauxFlags & VerFlgWeak) == 0 || use.VersymOffsets.Count > 0);

        private sealed class Glibcxx332Use
        {
            public int VernauxFlagsOffset = -1;
            public ushort VernauxFlags;
            public readonly List<int> VersymOffsets = new List<int>();
        }

        private static Glibcxx332Use Analyze(byte[] data, string path)
        {
            var elf = new ElfReader(data, path);
            var use = new Glibcxx332Use();
            int verneed = elf.FindSection(ShtGnuVerneed), versym = elf.FindSection(ShtGnuVersym), dynsym = elf.FindSection(ShtDynsym);
            if (verneed < 0)
                return use;

            // Elf64_Verneed { vn_version, vn_cnt, vn_file, vn_aux, vn_next }, each with a chain of
            // Elf64_Vernaux { vna_hash, vna_flags, vna_other, vna_name, vna_next }; names are in sh_link's strtab.
            int strtab = elf.SectionOffset(elf.SectionLink(verneed));
            int need = elf.SectionOffset(verneed);
            int versionIndex = -1;
            for (uint n = elf.SectionInfo(verneed); n > 0 && versionIndex < 0; n--)
            {
                int aux = need + (int)elf.UInt32(need + 8);
                for (int a = elf.UInt16(need + 2); a > 0; a--)
                {
                    if (elf.CString(strtab + (int)elf.UInt32(aux + 8)) == Glibcxx332)
                    {
                        use.VernauxFlagsOffset = aux + 4;
                        use.VernauxFlags = elf.UInt16(aux + 4);
                        versionIndex = elf.UInt16(aux + 6) & VersymIndexMask;
                        break;
                    }
                    aux += (int)elf.UInt32(aux + 12);
                }
                need += (int)elf.UInt32(need + 12);
            }
            if (versionIndex < 0 || versym < 0 || dynsym < 0)
                return use;

            // .gnu.version holds one 16-bit version index per .dynsym entry (Elf64_Sym: st_name at 0, 24 bytes).
            int symbols = elf.SectionOffset(dynsym), names = elf.SectionOffset(elf.SectionLink(dynsym));
            int versions = elf.SectionOffset(versym);
            long count = elf.SectionSize(dynsym) / 24;
            for (int i = 0; i < count; i++)
            {
                if ((elf.UInt16(versions + 2 * i) & VersymIndexMask) != versionIndex)
                    continue;
                var name = elf.CString(names + (int)elf.UInt32(symbols + 24 * i));
                if (name != IosBaseLibraryInit)
                    throw new InvalidDataException($"{path}: symbol {name} needs {Glibcxx332}, so that requirement cannot be made optional.");
                if (elf.HasRelocationAgainst(dynsym, i))
                    throw new InvalidDataException($"{path}: a relocation uses {name}@{Glibcxx332}, so the library needs a definition of it.");
                use.VersymOffsets.Add(versions + 2 * i);
            }
            return use;
        }

        private static void WriteUInt16(byte[] image, int offset, ushort value)
        {
            image[offset] = (byte)value;
            image[offset + 1] = (byte)(value >> 8);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i <= haystack.Length - needle.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j])
                    j++;
                if (j == needle.Length)
                    return i;
            }
            return -1;
        }

        /// <summary>Bounds-checked little-endian reads of an ELF64 file's header and section headers.</summary>
        private sealed class ElfReader
        {
            private readonly byte[] _data;
            private readonly string _path;
            private readonly int _sectionHeaders;
            private readonly int _sectionHeaderSize;
            private readonly int _sectionCount;

            public ElfReader(byte[] data, string path)
            {
                _data = data;
                _path = path;
                // e_ident: "\x7fELF", EI_CLASS = ELFCLASS64 (2), EI_DATA = ELFDATA2LSB (1).
                if (data.Length < 64 || data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F')
                    throw Invalid("not an ELF file");
                if (data[4] != 2 || data[5] != 1)
                    throw Invalid("not a 64-bit little-endian ELF file");
                _sectionHeaders = checked((int)UInt64(0x28)); // e_shoff
                _sectionHeaderSize = UInt16(0x3a);            // e_shentsize
                _sectionCount = UInt16(0x3c);                 // e_shnum
                if (_sectionCount == 0 || _sectionHeaderSize < 64)
                    throw Invalid("no usable section headers");
            }

            public int FindSection(uint type)
            {
                for (int i = 0; i < _sectionCount; i++)
                {
                    if (UInt32(Header(i) + 4) == type) // sh_type
                        return i;
                }
                return -1;
            }

            public int SectionLink(int section) => checked((int)UInt32(Header(section) + 40)); // sh_link
            public uint SectionInfo(int section) => UInt32(Header(section) + 44);               // sh_info
            public int SectionOffset(int section) => checked((int)UInt64(Header(section) + 24)); // sh_offset
            public long SectionSize(int section) => checked((long)UInt64(Header(section) + 32)); // sh_size

            /// <summary>Whether a SHT_RELA or SHT_REL section whose sh_link is <paramref name="symtab"/> uses <paramref name="symbol"/>.</summary>
            public bool HasRelocationAgainst(int symtab, int symbol)
            {
                for (int s = 0; s < _sectionCount; s++)
                {
                    uint type = UInt32(Header(s) + 4);
                    if ((type != ShtRela && type != ShtRel) || SectionLink(s) != symtab)
                        continue;
                    int entrySize = type == ShtRela ? 24 : 16; // Elf64_Rela / Elf64_Rel
                    int start = SectionOffset(s);
                    long count = SectionSize(s) / entrySize;
                    for (long r = 0; r < count; r++)
                    {
                        // r_info (at 8) = symbol index << 32 | relocation type.
                        if (UInt64(checked((int)(start + r * entrySize + 8))) >> 32 == (ulong)symbol)
                            return true;
                    }
                }
                return false;
            }

            public string CString(int offset)
            {
                int end = offset;
                while (end < _data.Length && _data[end] != 0)
                    end++;
                if (offset < 0 || end >= _data.Length)
                    throw Invalid($"string at offset {offset} runs past the end of the file");
                return Encoding.ASCII.GetString(_data, offset, end - offset);
            }

            public ushort UInt16(int offset) => (ushort)(Byte(offset) | Byte(offset + 1) << 8);

            public uint UInt32(int offset) => UInt16(offset) | (uint)UInt16(offset + 2) << 16;

            public ulong UInt64(int offset) => UInt32(offset) | (ulong)UInt32(offset + 4) << 32;

            private int Header(int section) => section >= 0 && section < _sectionCount
                ? checked(_sectionHeaders + section * _sectionHeaderSize)
                : throw Invalid($"section index {section} is out of range");

            private byte Byte(int offset) => offset >= 0 && offset < _data.Length
                ? _data[offset]
                : throw Invalid($"offset {offset} is outside the file");

            private InvalidDataException Invalid(string reason) => new InvalidDataException($"{_path}: {reason}.");
        }
    }

#if !NET
    /// <summary>
    /// MSBuild task: makes the GLIBCXX_3.4.32 requirement of output copies of libLibTorchSharp.so optional
    /// (see <see cref="TorchSharpElf"/>), unless this host's libstdc++ already provides that version.
    /// </summary>
    public sealed class PatchTorchSharpNative : Task
    {
        /// <summary>The copies of libLibTorchSharp.so in an output or publish folder.</summary>
        [Required]
        public ITaskItem[] LibraryPaths { get; set; } = Array.Empty<ITaskItem>();

        /// <inheritdoc />
        public override bool Execute()
        {
            if (TorchSharpElf.HostProvidesGlibcxx332(out var libStdCxx))
            {
                Log.LogMessage(MessageImportance.Low, "Left libLibTorchSharp.so as shipped: {0} provides {1}.", libStdCxx, TorchSharpElf.Glibcxx332);
                return true;
            }
            foreach (var item in LibraryPaths)
            {
                var path = item.GetMetadata("FullPath");
                try
                {
                    Log.LogMessage(MessageImportance.Low, TorchSharpElf.Patch(path)
                        ? "Made the {1} requirement of {0} optional, for libstdc++ older than gcc 13."
                        : "{0} already loads without {1}; left unchanged.", path, TorchSharpElf.Glibcxx332);
                }
                catch (Exception ex) when (ex is IOException || ex is InvalidDataException || ex is UnauthorizedAccessException)
                {
                    Log.LogError(null, null, null, path, 0, 0, 0, 0,
                        "Could not make libLibTorchSharp.so loadable with libstdc++ older than gcc 13: {0} Set SageSkipTorchSharpNativePatch=true to skip this step.", ex.Message);
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
