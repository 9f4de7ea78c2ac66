// The runtime core: values, heap, tables, interpreter (see docs/architecture.md).
import Bytecode
