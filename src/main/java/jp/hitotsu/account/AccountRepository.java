package jp.hitotsu.account;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface AccountRepository extends JpaRepository<AccountEntity, UUID> {

	Optional<AccountEntity> findByRealmAndUsername(String realm, String username);

	Optional<AccountEntity> findByRealmAndId(String realm, UUID id);

	/** Enabled accounts whose address is verified; addresses compare without regard to case. */
	@Query("""
			select a from AccountEntity a
			where a.realm = :realm and lower(a.email) = lower(:email) and a.emailVerified = true and a.enabled = true
			""")
	List<AccountEntity> findVerifiedByEmail(String realm, String email);

	/** The accounts of the realm with this address, verified or not, oldest first; case does not matter. */
	@Query("""
			select a from AccountEntity a where a.realm = :realm and lower(a.email) = lower(:email)
			order by a.createdAt
			""")
	List<AccountEntity> findByEmail(String realm, String email);

}
