// Real certificates for the TLS tests, made with the openssl CLI in a temporary directory:
// a CA, a controller certificate for 127.0.0.1, a switch certificate signed by the CA, and
// a switch certificate signed by an unrelated CA.
import { execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

export interface Certs {
  readonly dir: string
  readonly caCert: string
  readonly controllerKey: string
  readonly controllerCert: string
  readonly switchKey: string
  readonly switchCert: string
  readonly rogueKey: string
  readonly rogueCert: string
  readonly read: (path: string) => Buffer
  readonly cleanup: () => void
}

const openssl = (dir: string, args: ReadonlyArray<string>): void => {
  try {
    execFileSync("openssl", args, { cwd: dir, stdio: "pipe" })
  } catch (error) {
    const e = error as { code?: string; stderr?: Buffer }
    if (e.code === "ENOENT") {
      throw new Error("the TLS tests need the openssl CLI (Debian package 'openssl'): install it with apt-get")
    }
    throw new Error(`openssl ${args.join(" ")} failed: ${e.stderr?.toString() ?? String(error)}`)
  }
}

const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

export const makeCerts = (): Certs => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "switchyard-tls-"))
  const ca = (name: string) =>
    openssl(dir, ["req", "-x509", ...ecKey, "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "2", "-subj", `/CN=${name}`])
  const leaf = (name: string, caName: string, ext: string) => {
    openssl(dir, ["req", ...ecKey, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`])
    Fs.writeFileSync(Path.join(dir, `${name}.ext`), ext)
    openssl(dir, [
      "x509", "-req", "-in", `${name}.csr`, "-CA", `${caName}.crt`, "-CAkey", `${caName}.key`,
      "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`
    ])
  }
  ca("test-ca")
  ca("rogue-ca")
  leaf("controller", "test-ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
  leaf("switch-1", "test-ca", "extendedKeyUsage=clientAuth\n")
  leaf("rogue-switch", "rogue-ca", "extendedKeyUsage=clientAuth\n")
  const p = (f: string) => Path.join(dir, f)
  return {
    dir,
    caCert: p("test-ca.crt"),
    controllerKey: p("controller.key"),
    controllerCert: p("controller.crt"),
    switchKey: p("switch-1.key"),
    switchCert: p("switch-1.crt"),
    rogueKey: p("rogue-switch.key"),
    rogueCert: p("rogue-switch.crt"),
    read: (path) => Fs.readFileSync(path),
    cleanup: () => Fs.rmSync(dir, { recursive: true, force: true })
  }
}
