#!/usr/bin/env python3
"""Unpacks a container image tar (OCI image layout, as Jib's buildTar writes it, or `docker save`
format) into a root file system, layer by layer as a container runtime would (whiteouts
applied), and writes the image's config (Entrypoint, Cmd, Env, User, WorkingDir) as JSON.
Prints the image's sizes.

    container/unpack-image.py IMAGE.tar ROOTFS CONFIG.json
"""
import gzip
import io
import json
import os
import shutil
import sys
import tarfile


def blob(tar, digest):
    return tar.extractfile("blobs/" + digest.replace(":", "/")).read()


def manifest_and_config(tar):
    names = tar.getnames()
    if "index.json" in names:  # OCI image layout
        index = json.loads(tar.extractfile("index.json").read())
        desc = index["manifests"][0]
        manifest = json.loads(blob(tar, desc["digest"]))
        while "manifests" in manifest:  # an index of indexes (multi-platform)
            manifest = json.loads(blob(tar, manifest["manifests"][0]["digest"]))
        config = json.loads(blob(tar, manifest["config"]["digest"]))
        layers = [(l["digest"], l["size"], blob(tar, l["digest"])) for l in manifest["layers"]]
        return config, layers
    docker = json.loads(tar.extractfile("manifest.json").read())[0]  # docker save
    config = json.loads(tar.extractfile(docker["Config"]).read())
    layers = []
    for name in docker["Layers"]:
        data = tar.extractfile(name).read()
        layers.append((name, len(data), data))
    return config, layers


def apply_layer(data, rootfs):
    raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    unpacked = 0
    with tarfile.open(fileobj=io.BytesIO(raw)) as layer:
        members = []
        for m in layer.getmembers():
            name = os.path.normpath(m.name.lstrip("/"))
            if name.startswith("..") or os.path.isabs(name):
                sys.exit("unpack-image: unsafe path in layer: " + m.name)
            base = os.path.basename(name)
            parent = os.path.join(rootfs, os.path.dirname(name))
            if base == ".wh..wh..opq":  # opaque directory: drop what lower layers put there
                for entry in os.listdir(parent) if os.path.isdir(parent) else []:
                    path = os.path.join(parent, entry)
                    shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)
                continue
            if base.startswith(".wh."):  # whiteout: delete the named file of a lower layer
                path = os.path.join(parent, base[4:])
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                elif os.path.lexists(path):
                    os.remove(path)
                continue
            if m.isdev():
                continue  # no device files outside a real container runtime
            m.name = name
            members.append(m)
            unpacked += m.size
        # modes and owners exactly as in the layer (a runtime does not mask them)
        layer.extractall(rootfs, members=members, numeric_owner=True, filter="fully_trusted")
    return unpacked


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    image, rootfs, config_out = sys.argv[1:]
    os.makedirs(rootfs, exist_ok=True)
    with tarfile.open(image) as tar:
        config, layers = manifest_and_config(tar)
    total_unpacked = 0
    for digest, size, data in layers:
        unpacked = apply_layer(data, rootfs)
        total_unpacked += unpacked
        print("  layer %s: %.1f MB compressed, %.1f MB unpacked" % (digest[:19], size / 1e6, unpacked / 1e6))
    print("image: %.1f MB tar, %d layers, %.1f MB compressed, %.1f MB unpacked" % (
        os.path.getsize(image) / 1e6, len(layers), sum(s for _, s, _ in layers) / 1e6, total_unpacked / 1e6))
    c = config.get("config", {})
    with open(config_out, "w") as f:
        json.dump({k: c.get(k) for k in ("Entrypoint", "Cmd", "Env", "User", "WorkingDir", "ExposedPorts", "Labels")}
                  | {"architecture": config.get("architecture"), "os": config.get("os")}, f, indent=2)


if __name__ == "__main__":
    main()
