"""A throw-away MariaDB server for the tests: a temporary data directory, a local socket, no network.

tests/conftest.py starts it when `BLMA_TEST_DB=mariadb` and no `BLMA_MYSQL_HOST` names an
existing server, just before pytest-django creates the test database, and stops it at the end of
the session. It is also stopped at interpreter exit (atexit) and, if pytest is killed outright,
by the kernel (the server gets SIGTERM when its parent dies); a data directory left behind by a
killed run is removed by the next run.

Run by hand:  python -m tests.mariadb_server   (starts a server, prints its socket, waits for Ctrl-C)
"""
import atexit
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PREFIX = "blma-mariadb-"
DATABASE = "blma"
SEARCH_PATH = ("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")
# Server settings: InnoDB with the server's own defaults for locking and isolation (Django sets
# READ COMMITTED on its connections, as in Open edX), utf8mb4, and a small footprint. The flush
# setting only trades durability on a crash, which a throw-away server does not need.
SERVER_OPTIONS = (
    "--skip-networking",
    "--default-storage-engine=InnoDB",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_unicode_ci",
    "--innodb-buffer-pool-size=64M",
    "--innodb-log-file-size=32M",
    "--innodb-flush-log-at-trx-commit=2",
    "--skip-log-bin",
    "--max-connections=300",
)


def _binary(*names):
    for name in names:
        found = shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), *SEARCH_PATH]))
        if found:
            return found
    raise RuntimeError(f"{' or '.join(names)} not found: run scripts/install-mariadb.sh (Debian's mariadb-server)")


def _die_with_parent():
    """In the server's process: SIGTERM when the process that started it dies (Linux prctl)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale():
    """Data directories of earlier runs whose pytest is gone (killed): stop their server, remove them."""
    for root in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            owner = int((root / "owner").read_text())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        try:
            pid = int((root / "mariadbd.pid").read_text())
            if str(root) in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
                os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass
        shutil.rmtree(root, ignore_errors=True)


class MariaDBServer:
    """One server in its own temporary directory; `socket` is what Django's HOST takes."""

    def __init__(self):
        self.root = None
        self.process = None
        self.version = None

    @property
    def socket(self):
        return str(self.root / "mysql.sock")

    def _log_tail(self):
        try:
            return "\n".join((self.root / "error.log").read_text(errors="replace").splitlines()[-30:])
        except OSError:
            return "(no error log)"

    def start(self, timeout=90):
        remove_stale()
        self.root = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.root / "owner").write_text(str(os.getpid()))
        atexit.register(self.stop)
        data = self.root / "data"
        as_root = ["--user=root"] if os.geteuid() == 0 else []  # mariadbd refuses to run as root otherwise
        install = subprocess.run(
            [_binary("mariadb-install-db", "mysql_install_db"), "--no-defaults", f"--datadir={data}",
             "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve", *as_root],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        if install.returncode:
            self.stop()
            raise RuntimeError(f"mariadb-install-db failed:\n{install.stdout[-3000:]}")
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [_binary("mariadbd", "mysqld"), "--no-defaults", f"--datadir={data}", f"--socket={self.socket}",
             f"--pid-file={self.root / 'mariadbd.pid'}", f"--log-error={self.root / 'error.log'}",
             f"--tmpdir={self.root}", *SERVER_OPTIONS, *as_root],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches pytest, which then stops the server cleanly
            preexec_fn=_die_with_parent)  # pylint: disable=subprocess-popen-preexec-fn
        self._wait_and_create(timeout)
        return self

    def connect(self, **kwargs):
        import MySQLdb  # pylint: disable=import-outside-toplevel
        return MySQLdb.connect(unix_socket=self.socket, user="root", password="", **kwargs)

    def _wait_and_create(self, timeout):
        import MySQLdb  # pylint: disable=import-outside-toplevel
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                log = self._log_tail()
                self.stop()
                raise RuntimeError(f"mariadbd exited with {self.process.returncode}:\n{log}")
            try:
                conn = self.connect()
                break
            except MySQLdb.OperationalError:
                if time.monotonic() > deadline:
                    log = self._log_tail()
                    self.stop()
                    raise RuntimeError(f"mariadbd did not answer on {self.socket} in {timeout} s:\n{log}") from None
                time.sleep(0.1)
        try:
            cursor = conn.cursor()
            cursor.execute("SELECT VERSION()")
            self.version = cursor.fetchone()[0]
            cursor.execute(f"CREATE DATABASE IF NOT EXISTS {DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        finally:
            conn.close()

    def stop(self):
        """Shut the server down (SIGTERM is a clean shutdown) and remove its directory; idempotent."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None


_SERVER = None


def configure(database):
    """Point a Django DATABASES entry using the MySQL backend at a server.

    BLMA_MYSQL_HOST set (an existing server): nothing to do. Otherwise: start the throw-away
    server once for the session and use its socket. Returns a line describing the database.
    """
    global _SERVER  # pylint: disable=global-statement
    if database["ENGINE"] != "django.db.backends.mysql":
        return None
    if database.get("HOST") or os.environ.get("BLMA_MYSQL_HOST"):
        return f"MySQL/MariaDB at {database.get('HOST') or os.environ['BLMA_MYSQL_HOST']}"
    if _SERVER is None:
        started = time.monotonic()
        _SERVER = MariaDBServer().start()
        took = time.monotonic() - started
        sys.stderr.write(f"\nThrow-away MariaDB {_SERVER.version} on {_SERVER.socket} (started in {took:.1f} s)\n")
    database.update(HOST=_SERVER.socket, PORT="", USER="root", PASSWORD="")
    return f"throw-away MariaDB {_SERVER.version}"


def skip_broken_submissions_migration():
    """edx-submissions 4.0.x: 0006_mariadb_uuid_conversion ALTERs the uuid columns of StudentItem
    and Score, which have none, so it fails on a fresh MariaDB ("Unknown column 'uuid'"; on MySQL
    it does nothing). On a fresh database it has nothing to convert anyway (Django 5 creates
    UUIDFields as MariaDB's uuid type), so it is made a no-op for the test database. Returns
    whether it was: False once an edx-submissions release has fixed it."""
    import importlib  # pylint: disable=import-outside-toplevel
    try:
        module = importlib.import_module("submissions.migrations.0006_mariadb_uuid_conversion")
    except ImportError:
        return False
    operation = module.Migration.operations[0]
    if "submissions_studentitem" not in Path(module.__file__).read_text(encoding="utf-8"):
        return False
    from django.db.migrations import RunPython  # pylint: disable=import-outside-toplevel
    operation.code = RunPython.noop
    return True


def stop():
    global _SERVER  # pylint: disable=global-statement
    if _SERVER is not None:
        _SERVER.stop()
        _SERVER = None


if __name__ == "__main__":
    server = MariaDBServer().start()
    print(f"MariaDB {server.version}: BLMA_MYSQL_HOST={server.socket} BLMA_MYSQL_USER=root  (Ctrl-C stops it)")
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
