import { filterClasses, LdapSchema, parseAttributeType, parseDitContentRule, parseObjectClass, syntaxType } from './ldap-schema';

// As OpenLDAP 2.5 publishes them in cn=Subschema (core, cosine, inetorgperson), unchanged.
const SLAPD_ATTRIBUTE_TYPES = [
  "( 2.5.4.0 NAME 'objectClass' DESC 'RFC4512: object classes of the entity' EQUALITY objectIdentifierMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.38 )",
  "( 1.3.6.1.1.16.4 NAME 'entryUUID' DESC 'UUID of the entry' EQUALITY UUIDMatch ORDERING UUIDOrderingMatch SYNTAX 1.3.6.1.1.16.1 SINGLE-VALUE NO-USER-MODIFICATION USAGE directoryOperation )",
  "( 2.5.4.49 NAME 'distinguishedName' DESC 'RFC4519: common supertype of DN attributes' EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )",
  "( 2.5.4.41 NAME 'name' DESC 'RFC4519: common supertype of name attributes' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{32768} )",
  "( 2.5.4.3 NAME ( 'cn' 'commonName' ) DESC 'RFC4519: common name(s) for which the entity is known by' SUP name )",
  "( 2.5.4.4 NAME ( 'sn' 'surname' ) DESC 'RFC2256: last (family) name(s) for which the entity is known by' SUP name )",
  "( 2.5.4.12 NAME 'title' DESC 'RFC2256: title associated with the entity' SUP name )",
  "( 2.5.4.35 NAME 'userPassword' DESC 'RFC4519/2307: password of user' EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40{128} )",
  "( 2.5.4.20 NAME 'telephoneNumber' DESC 'RFC2256: Telephone Number' EQUALITY telephoneNumberMatch SUBSTR telephoneNumberSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.50{32} )",
  "( 2.5.4.34 NAME 'seeAlso' DESC 'RFC4519: DN of related object' SUP distinguishedName )",
  "( 2.5.4.13 NAME 'description' DESC 'RFC4519: descriptive information' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{1024} )",
  "( 2.5.4.31 NAME 'member' DESC 'RFC2256: member of a group' SUP distinguishedName )",
  "( 2.5.4.50 NAME 'uniqueMember' DESC 'RFC2256: unique member of a group' EQUALITY uniqueMemberMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.34 )",
  "( 0.9.2342.19200300.100.1.1 NAME ( 'uid' 'userid' ) DESC 'RFC4519: user identifier' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{256} )",
  "( 0.9.2342.19200300.100.1.3 NAME ( 'mail' 'rfc822Mailbox' ) DESC 'RFC1274: RFC822 Mailbox' EQUALITY caseIgnoreIA5Match SUBSTR caseIgnoreIA5SubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.26{256} )",
  "( 2.16.840.1.113730.3.1.3 NAME 'employeeNumber' DESC 'RFC2798: numerically identifies an employee within an organization' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )",
  "( 0.9.2342.19200300.100.1.60 NAME 'jpegPhoto' DESC 'RFC2798: a JPEG image' SYNTAX 1.3.6.1.4.1.1466.115.121.1.28 )",
  "( 1.3.6.1.1.1.1.0 NAME 'uidNumber' DESC 'RFC2307: An integer uniquely identifying a user in an administrative domain' EQUALITY integerMatch ORDERING integerOrderingMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )",
  "( 2.5.18.1 NAME 'createTimestamp' DESC 'RFC4512: time which object was created' EQUALITY generalizedTimeMatch ORDERING generalizedTimeOrderingMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.24 SINGLE-VALUE NO-USER-MODIFICATION USAGE directoryOperation )",
];
const SLAPD_OBJECT_CLASSES = [
  "( 2.5.6.0 NAME 'top' DESC 'top of the superclass chain' ABSTRACT MUST objectClass )",
  "( 2.5.6.6 NAME 'person' DESC 'RFC2256: a person' SUP top STRUCTURAL MUST ( sn $ cn ) MAY ( userPassword $ telephoneNumber $ seeAlso $ description ) )",
  "( 2.5.6.7 NAME 'organizationalPerson' DESC 'RFC2256: an organizational person' SUP person STRUCTURAL MAY ( title $ x121Address $ registeredAddress $ destinationIndicator $ preferredDeliveryMethod $ telexNumber $ teletexTerminalIdentifier $ telephoneNumber $ internationaliSDNNumber $ facsimileTelephoneNumber $ street $ postOfficeBox $ postalCode $ postalAddress $ physicalDeliveryOfficeName $ ou $ st $ l ) )",
  "( 2.16.840.1.113730.3.2.2 NAME 'inetOrgPerson' DESC 'RFC2798: Internet Organizational Person' SUP organizationalPerson STRUCTURAL MAY ( audio $ businessCategory $ carLicense $ departmentNumber $ displayName $ employeeNumber $ employeeType $ givenName $ homePhone $ homePostalAddress $ initials $ jpegPhoto $ labeledURI $ mail $ manager $ mobile $ o $ pager $ photo $ roomNumber $ secretary $ uid $ userCertificate $ x500uniqueIdentifier $ preferredLanguage $ userSMIMECertificate $ userPKCS12 ) )",
  "( 2.5.6.9 NAME 'groupOfNames' DESC 'RFC2256: a group of names (DNs)' SUP top STRUCTURAL MUST ( member $ cn ) MAY ( businessCategory $ seeAlso $ owner $ ou $ o $ description ) )",
  "( 2.5.6.17 NAME 'groupOfUniqueNames' DESC 'RFC2256: a group of unique names (DN and Unique Identifier)' SUP top STRUCTURAL MUST ( uniqueMember $ cn ) MAY ( businessCategory $ seeAlso $ owner $ ou $ o $ description ) )",
];

// As Samba 4.17 publishes them (CN=Aggregate): quoted SYNTAX, no DESC, and DIT content rules; MAY lists shortened.
const SAMBA = {
  attributeTypes: [
    "( 2.5.4.0 NAME 'objectClass' SYNTAX '1.3.6.1.4.1.1466.115.121.1.38' NO-USER-MODIFICATION )",
    "( 1.2.840.113556.1.4.2 NAME 'objectGUID' SYNTAX '1.3.6.1.4.1.1466.115.121.1.40' SINGLE-VALUE NO-USER-MODIFICATION )",
    "( 1.2.840.113556.1.4.146 NAME 'objectSid' SYNTAX '1.3.6.1.4.1.1466.115.121.1.40' SINGLE-VALUE NO-USER-MODIFICATION )",
    "( 1.2.840.113556.1.4.782 NAME 'objectCategory' SYNTAX '1.3.6.1.4.1.1466.115.121.1.12' SINGLE-VALUE )",
    "( 1.2.840.113556.1.2.281 NAME 'nTSecurityDescriptor' SYNTAX '1.2.840.113556.1.4.907' SINGLE-VALUE )",
    "( 1.2.840.113556.1.2.1 NAME 'instanceType' SYNTAX '1.3.6.1.4.1.1466.115.121.1.27' SINGLE-VALUE NO-USER-MODIFICATION )",
    "( 2.5.4.3 NAME 'cn' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' SINGLE-VALUE )",
    "( 2.5.4.4 NAME 'sn' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' SINGLE-VALUE )",
    "( 2.5.4.12 NAME 'title' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' SINGLE-VALUE )",
    "( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' SINGLE-VALUE )",
    "( 1.2.840.113556.1.4.8 NAME 'userAccountControl' SYNTAX '1.3.6.1.4.1.1466.115.121.1.27' SINGLE-VALUE )",
    "( 1.2.840.113556.1.4.159 NAME 'accountExpires' SYNTAX '1.2.840.113556.1.4.906' SINGLE-VALUE )",
    "( 1.2.840.113556.1.2.2 NAME 'whenCreated' SYNTAX '1.3.6.1.4.1.1466.115.121.1.24' SINGLE-VALUE NO-USER-MODIFICATION )",
    "( 1.2.840.113556.1.4.651 NAME 'otherMailbox' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' )",
    "( 2.5.4.31 NAME 'member' SYNTAX '1.3.6.1.4.1.1466.115.121.1.12' )",
  ],
  objectClasses: [
    "( 2.5.6.0 NAME 'top' ABSTRACT MUST (objectClass $ objectCategory $ nTSecurityDescriptor $ instanceType ) MAY (whenCreated ) )",
    "( 2.5.6.6 NAME 'person' SUP top STRUCTURAL MUST (cn ) MAY (sn ) )",
    "( 2.5.6.7 NAME 'organizationalPerson' SUP person STRUCTURAL MAY (title ) )",
    "( 1.2.840.113556.1.5.9 NAME 'user' SUP organizationalPerson STRUCTURAL MAY (userAccountControl $ accountExpires ) )",
    "( 1.2.840.113556.1.5.6 NAME 'securityPrincipal' SUP top AUXILIARY MUST (sAMAccountName $ objectSid ) )",
    "( 1.2.840.113556.1.3.46 NAME 'mailRecipient' SUP top AUXILIARY MUST (cn ) MAY (otherMailbox ) )",
    "( 1.2.840.113556.1.5.8 NAME 'group' SUP top STRUCTURAL MUST (groupType ) MAY (member ) )",
  ],
  dITContentRules: ["( 1.2.840.113556.1.5.9 NAME 'user' AUX ( securityPrincipal $ mailRecipient ) MUST (sAMAccountName $ objectSid $ cn ) MAY (otherMailbox ) )"],
};

const slapd = () => LdapSchema.parse({ attributeTypes: SLAPD_ATTRIBUTE_TYPES, objectClasses: SLAPD_OBJECT_CLASSES });

describe('RFC 4512 descriptions', () => {
  it('parses an attribute type with several names, a bounded syntax and flags', () => {
    expect(parseAttributeType(SLAPD_ATTRIBUTE_TYPES[14])).toEqual({
      oid: '0.9.2342.19200300.100.1.3',
      names: ['mail', 'rfc822Mailbox'],
      sup: undefined,
      syntax: '1.3.6.1.4.1.1466.115.121.1.26',
      singleValue: false,
      noUserModification: false,
      usage: 'userApplications',
    });
    expect(parseAttributeType(SLAPD_ATTRIBUTE_TYPES[1])).toMatchObject({ names: ['entryUUID'], singleValue: true, noUserModification: true, usage: 'directoryOperation' });
    expect(parseAttributeType(SLAPD_ATTRIBUTE_TYPES[4])).toMatchObject({ names: ['cn', 'commonName'], sup: 'name', syntax: undefined });
  });

  it('parses object classes: SUP, kind, MUST and MAY as one name or a $ list', () => {
    expect(parseObjectClass(SLAPD_OBJECT_CLASSES[0])).toEqual({ oid: '2.5.6.0', names: ['top'], sup: [], kind: 'ABSTRACT', must: ['objectClass'], may: [] });
    expect(parseObjectClass(SLAPD_OBJECT_CLASSES[1])).toEqual({
      oid: '2.5.6.6',
      names: ['person'],
      sup: ['top'],
      kind: 'STRUCTURAL',
      must: ['sn', 'cn'],
      may: ['userPassword', 'telephoneNumber', 'seeAlso', 'description'],
    });
    expect(parseObjectClass(SAMBA.objectClasses[4])).toMatchObject({ kind: 'AUXILIARY', must: ['sAMAccountName', 'objectSid'] });
  });

  it("parses Samba's quoted SYNTAX and its DIT content rules", () => {
    expect(parseAttributeType(SAMBA.attributeTypes[1])).toMatchObject({ names: ['objectGUID'], syntax: '1.3.6.1.4.1.1466.115.121.1.40', singleValue: true, noUserModification: true });
    expect(parseDitContentRule(SAMBA.dITContentRules[0])).toEqual({
      oid: '1.2.840.113556.1.5.9',
      names: ['user'],
      aux: ['securityPrincipal', 'mailRecipient'],
      must: ['sAMAccountName', 'objectSid', 'cn'],
      may: ['otherMailbox'],
    });
  });

  it("undoes the \\27 and \\5C escapes of quoted strings, and refuses what is not a description", () => {
    expect(parseAttributeType("( 1.2.3 NAME 'x' DESC 'it\\27s a back\\5Cslash' )").names).toEqual(['x']);
    expect(() => parseAttributeType('NAME x')).toThrow(SyntaxError);
    expect(() => parseAttributeType("( 1.2.3 NAME 'x )")).toThrow(SyntaxError);
  });

  it('maps syntaxes to types, and an unknown one to string', () => {
    expect(['1.3.6.1.4.1.1466.115.121.1.7', '1.3.6.1.4.1.1466.115.121.1.27', '1.2.840.113556.1.4.906', '1.3.6.1.4.1.1466.115.121.1.24', '1.3.6.1.4.1.1466.115.121.1.12', '1.3.6.1.4.1.1466.115.121.1.40'].map(syntaxType)).toEqual([
      'boolean',
      'integer',
      'integer',
      'datetime',
      'dn',
      'binary',
    ]);
    expect(syntaxType('1.3.6.1.4.1.1466.115.121.1.15')).toBe('string');
    expect(syntaxType(undefined)).toBe('string');
  });
});

describe('LdapSchema', () => {
  it('follows SUP for the syntax, and finds types by any name or OID, case-insensitively', () => {
    const schema = slapd();
    expect(schema.attributeType('commonName')).toMatchObject({ names: ['cn', 'commonName'], syntax: '1.3.6.1.4.1.1466.115.121.1.15' });
    expect(schema.attributeType('SEEALSO')?.syntax).toBe('1.3.6.1.4.1.1466.115.121.1.12');
    expect(schema.attributeType('0.9.2342.19200300.100.1.3')?.names[0]).toBe('mail');
    expect(schema.superclasses('inetOrgPerson').map((c) => c.names[0])).toEqual(['inetOrgPerson', 'organizationalPerson', 'person', 'top']);
  });

  it('describes inetOrgPerson with its superclasses: MUST is required, SINGLE-VALUE single, the anchor read-only', () => {
    const user = slapd().objectType({ name: 'user', classes: ['inetOrgPerson'], anchor: 'entryUUID', serverSet: ['objectClass'] });
    expect(user).toMatchObject({ name: 'user', nativeNames: ['inetOrgPerson', 'organizationalPerson', 'person', 'top'], anchor: 'entryUUID', key: 'dn' });
    const byName = Object.fromEntries(user.attributes.map((a) => [a.name, a]));
    expect(byName.cn).toEqual({ name: 'cn', type: 'string', multiValued: true, required: true });
    expect(byName.sn).toMatchObject({ required: true });
    expect(byName.mail).toEqual({ name: 'mail', type: 'string', multiValued: true, required: false });
    expect(byName.employeeNumber).toMatchObject({ multiValued: false });
    expect(byName.seeAlso).toMatchObject({ type: 'dn' });
    expect(byName.jpegPhoto).toMatchObject({ type: 'binary' });
    expect(byName.userPassword).toMatchObject({ type: 'binary' });
    expect(byName.objectClass).toMatchObject({ required: false });
    expect(byName.entryUUID).toEqual({ name: 'entryUUID', type: 'string', multiValued: false, required: false, readOnly: true });
    // Names not in the published schema (title is here; x121Address is not) are kept, as multi-valued strings.
    expect(byName.x121Address).toEqual({ name: 'x121Address', type: 'string', multiValued: true, required: false });
  });

  it('describes alternatives: the union of attributes, required only when every class requires it', () => {
    const group = slapd().objectType({ name: 'group', ...filterClasses('(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))'), anchor: 'entryUUID' });
    const byName = Object.fromEntries(group.attributes.map((a) => [a.name, a]));
    expect(byName.cn.required).toBe(true);
    expect(byName.member).toMatchObject({ type: 'dn', required: false });
    expect(byName.uniqueMember).toMatchObject({ type: 'dn', required: false });
  });

  it("takes an AD user's auxiliary classes from its DIT content rule; server-set and NO-USER-MODIFICATION attributes are not required", () => {
    const schema = LdapSchema.parse(SAMBA);
    const user = schema.objectType({ name: 'user', classes: ['user'], anchor: 'objectGUID', serverSet: ['objectClass', 'objectCategory', 'nTSecurityDescriptor'] });
    expect(user.nativeNames).toEqual(['user', 'organizationalPerson', 'person', 'top', 'securityPrincipal', 'mailRecipient']);
    const byName = Object.fromEntries(user.attributes.map((a) => [a.name, a]));
    expect(byName.sAMAccountName).toEqual({ name: 'sAMAccountName', type: 'string', multiValued: false, required: true });
    expect(byName.objectSid).toMatchObject({ type: 'binary', required: false, readOnly: true });
    expect(byName.objectGUID).toEqual({ name: 'objectGUID', type: 'binary', multiValued: false, required: false, readOnly: true });
    expect(byName.objectCategory).toMatchObject({ required: false });
    expect(byName.accountExpires.type).toBe('integer');
    expect(byName.whenCreated).toMatchObject({ type: 'datetime', readOnly: true });
    expect(byName.otherMailbox.multiValued).toBe(true);
    expect(byName.title.multiValued).toBe(false);
  });

  it('reads the object classes a filter asks for', () => {
    expect(filterClasses('(objectClass=inetOrgPerson)')).toEqual({ classes: ['inetOrgPerson'], alternatives: false });
    expect(filterClasses('(&(objectCategory=person)(objectClass=user))')).toEqual({ classes: ['user'], alternatives: false });
    expect(filterClasses('(uid=*)')).toEqual({ classes: [], alternatives: false });
  });
});
