import CVM
import Glibc

extension LuaVM {
    func registerLoadLibrary() {}
}
