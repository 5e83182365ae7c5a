import DescryApp
#if canImport(Glibc)
import Glibc
#endif

exit(DescryMain.run(CommandLine.arguments))
