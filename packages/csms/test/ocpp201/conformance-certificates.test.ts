/**
 * OCTT CSMS test cases of Part 6 §3.14 "M ISO 15118 CertificateManagement" for the certificates
 * on the station: GetInstalledCertificateIds (M03), DeleteCertificate (M04) and InstallCertificate
 * (M05), with Reusable States GetInstalledCertificates and CertificateInstalled (Tables 708, 709).
 * The API has no friendly endpoint for these; the operator composes them at POST /call/{action} and
 * reads the station's answer (the hash data to delete by) from the reply.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { databaseKinds } from '../support/csms.js';
import { answer, booted, conformanceSuite } from './conformance-support.js';

/** The operator's configured root certificates (PEM); the CSMS does not look inside them. */
const CERTIFICATE: Record<v201.InstallCertificateUseEnumType, string> = {
  V2GRootCertificate: '-----BEGIN CERTIFICATE-----\nMIIBv2gRoot\n-----END CERTIFICATE-----',
  MORootCertificate: '-----BEGIN CERTIFICATE-----\nMIIBmoRoot\n-----END CERTIFICATE-----',
  CSMSRootCertificate: '-----BEGIN CERTIFICATE-----\nMIIBcsmsRoot\n-----END CERTIFICATE-----',
  ManufacturerRootCertificate: '-----BEGIN CERTIFICATE-----\nMIIBmanufacturerRoot\n-----END CERTIFICATE-----',
};

/** What the station holds: the hash data of one certificate of `type`, by `hashAlgorithm`. */
function installed(
  type: v201.GetCertificateIdUseEnumType,
  hashAlgorithm: v201.HashAlgorithmEnumType = 'SHA256',
): v201.CertificateHashDataChainType {
  return {
    certificateType: type,
    certificateHashData: {
      hashAlgorithm,
      issuerNameHash: `${type}-name-${hashAlgorithm}`.toLowerCase(),
      issuerKeyHash: `${type}-key-${hashAlgorithm}`.toLowerCase(),
      serialNumber: '1a2b3c',
    },
  };
}

for (const kind of databaseKinds()) {
  describe(`OCTT M Certificate management [${kind}]`, () => {
    const { stations, operator } = conformanceSuite(kind, { validToken: false });

    /** Table 709 CertificateInstalled (or a refusal): returns the InstallCertificateRequest the station got. */
    async function install(
      station: v201.ChargePoint,
      certificateType: v201.InstallCertificateUseEnumType,
      status: v201.InstallCertificateStatusEnumType = 'Accepted',
    ): Promise<v201.InstallCertificateRequest | undefined> {
      const received = answer(station, 'InstallCertificate', { status });
      const certificate = CERTIFICATE[certificateType];
      const result = await operator.call(station.identity, 'InstallCertificate', {
        certificateType,
        certificate,
      });
      assert.equal(result.response.status, status);
      // Step 1: the specified type and the configured certificate.
      assert.deepEqual(received, [{ certificateType, certificate }]);
      return received[0];
    }

    /** Table 708 GetInstalledCertificates: returns the hash data the operator is shown. */
    async function getInstalled(
      station: v201.ChargePoint,
      request: v201.GetInstalledCertificateIdsRequest,
      reply: v201.GetInstalledCertificateIdsResponse,
    ): Promise<v201.CertificateHashDataChainType[]> {
      const received = answer(station, 'GetInstalledCertificateIds', reply);
      const result = await operator.call(station.identity, 'GetInstalledCertificateIds', request);
      assert.deepEqual(received, [request]);
      assert.deepEqual(result.response, reply);
      return result.response.certificateHashDataChain ?? [];
    }

    test('TC_M_13_CSMS: Retrieve certificates from Charging Station - ManufacturerRootCertificate', async () => {
      const station = await booted(stations, 'M13-STATION');
      const chain = await getInstalled(
        station,
        { certificateType: ['ManufacturerRootCertificate'] },
        { status: 'Accepted', certificateHashDataChain: [installed('ManufacturerRootCertificate')] },
      );
      assert.equal(chain[0]?.certificateType, 'ManufacturerRootCertificate');
    });

    test('TC_M_18_CSMS: Retrieve certificates from Charging Station - All certificateTypes', async () => {
      const station = await booted(stations, 'M18-STATION');
      const all: v201.GetCertificateIdUseEnumType[] = [
        'V2GRootCertificate',
        'MORootCertificate',
        'CSMSRootCertificate',
        'V2GCertificateChain',
        'ManufacturerRootCertificate',
      ];
      // Step 1: certificateType omitted.
      const chain = await getInstalled(
        station,
        {},
        { status: 'Accepted', certificateHashDataChain: all.map((type) => installed(type)) },
      );
      assert.equal(chain.length, all.length);
    });

    test('TC_M_19_CSMS: Retrieve certificates from Charging Station - No matching certificate found', async () => {
      const station = await booted(stations, 'M19-STATION');
      const chain = await getInstalled(
        station,
        { certificateType: ['ManufacturerRootCertificate'] },
        { status: 'NotFound' },
      );
      assert.deepEqual(chain, []);
    });

    /** Steps 2-5 of M20/M21: the hash data the station returned is what the CSMS asks it to delete. */
    async function deleteInstalled(
      station: v201.ChargePoint,
      hashAlgorithm: v201.HashAlgorithmEnumType,
      status: v201.DeleteCertificateStatusEnumType,
    ): Promise<void> {
      const [entry] = await getInstalled(
        station,
        { certificateType: ['CSMSRootCertificate'] },
        { status: 'Accepted', certificateHashDataChain: [installed('CSMSRootCertificate', hashAlgorithm)] },
      );
      assert.ok(entry);
      const received = answer(station, 'DeleteCertificate', { status });
      const result = await operator.call(station.identity, 'DeleteCertificate', {
        certificateHashData: entry.certificateHashData,
      });
      assert.deepEqual(received, [
        { certificateHashData: installed('CSMSRootCertificate', hashAlgorithm).certificateHashData },
      ]);
      assert.equal(result.response.status, status);
    }

    test('TC_M_20_CSMS: Delete a certificate from a Charging Station - Success', async () => {
      const station = await booted(stations, 'M20-STATION');
      // Steps 1-5 for each hash algorithm.
      for (const hashAlgorithm of ['SHA256', 'SHA384', 'SHA512'] as const) {
        await install(station, 'CSMSRootCertificate');
        await deleteInstalled(station, hashAlgorithm, 'Accepted');
      }
    });

    test('TC_M_21_CSMS: Delete a certificate from a Charging Station - Failed', async () => {
      const station = await booted(stations, 'M21-STATION');
      await install(station, 'CSMSRootCertificate');
      await deleteInstalled(station, 'SHA256', 'Failed');
    });

    test('TC_M_01_CSMS: Install CA certificate - CSMSRootCertificate', async () => {
      await install(await booted(stations, 'M01-STATION'), 'CSMSRootCertificate');
    });

    test('TC_M_02_CSMS: Install CA certificate - ManufacturerRootCertificate', async () => {
      await install(await booted(stations, 'M02-STATION'), 'ManufacturerRootCertificate');
    });

    test('TC_M_05_CSMS: Install CA certificate - Failed', async () => {
      const station = await booted(stations, 'M05-STATION');
      await install(station, 'CSMSRootCertificate', 'Failed');
      assert.ok((await station.call('Heartbeat', {})).currentTime, 'the session carries on');
    });
  });
}
