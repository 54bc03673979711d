"""The system calls a box may not make (an OCI seccomp section for runc).

Everything a Python, Node or shell program needs is allowed; refused (EPERM) are the calls that
change what the box is (namespaces, mounts, keyrings, kernel modules, BPF, tracing of other
processes' memory, clocks) and the newer interfaces with a history of kernel escapes
(io_uring, userfaultfd). The box also has no capabilities, no new privileges and a non-root uid,
so most of these would fail anyway; this is the second wall.
"""

from __future__ import annotations

import platform

DENIED = (
    "acct add_key bpf clock_adjtime clock_settime create_module delete_module fanotify_init "
    "finit_module fsconfig fsmount fsopen fspick get_kernel_syms init_module io_uring_enter "
    "io_uring_register io_uring_setup ioperm iopl kcmp kexec_file_load kexec_load keyctl "
    "lookup_dcookie mount mount_setattr move_mount name_to_handle_at nfsservctl open_by_handle_at "
    "open_tree perf_event_open pidfd_getfd pivot_root process_vm_readv "
    "process_vm_writev ptrace query_module quotactl quotactl_fd reboot request_key setdomainname "
    "sethostname setns settimeofday stime swapoff swapon syslog sysfs umount umount2 unshare "
    "uselib userfaultfd ustat vhangup vm86 vm86old adjtimex"
).split()

#: clone() flags that would make a new namespace.
NAMESPACE_FLAGS = {
    "CLONE_NEWNS": 0x00020000,
    "CLONE_NEWCGROUP": 0x02000000,
    "CLONE_NEWUTS": 0x04000000,
    "CLONE_NEWIPC": 0x08000000,
    "CLONE_NEWUSER": 0x10000000,
    "CLONE_NEWPID": 0x20000000,
    "CLONE_NEWNET": 0x40000000,
}
EPERM = 1
ENOSYS = 38


def architectures() -> list[str]:
    machine = platform.machine()
    if machine in ("x86_64", "amd64"):
        return ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]
    if machine in ("aarch64", "arm64"):
        return ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"]
    return []


def profile() -> dict:
    """The seccomp section of a box's config.json."""
    # On s390x clone's flags are its second argument; everywhere else, its first.
    flags_argument = 1 if platform.machine() == "s390x" else 0
    syscalls = [{"names": list(DENIED), "action": "SCMP_ACT_ERRNO", "errnoRet": EPERM}]
    for flag in NAMESPACE_FLAGS.values():
        syscalls.append(
            {
                "names": ["clone"],
                "action": "SCMP_ACT_ERRNO",
                "errnoRet": EPERM,
                "args": [
                    {
                        "index": flags_argument,
                        "value": flag,
                        "valueTwo": flag,
                        "op": "SCMP_CMP_MASKED_EQ",
                    }
                ],
            }
        )
    # clone3 passes its flags in memory, out of seccomp's sight: ENOSYS makes the C library
    # fall back to clone(), whose flags are checked above.
    syscalls.append({"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": ENOSYS})
    return {
        "defaultAction": "SCMP_ACT_ALLOW",
        "architectures": architectures(),
        "syscalls": syscalls,
    }
